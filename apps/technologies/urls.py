app_name = "technologies"
urlpatterns = []
