app_name = "ndas"
urlpatterns = []
