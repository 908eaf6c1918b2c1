app_name = "editing"
urlpatterns = []
