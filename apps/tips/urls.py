app_name = "tips"
urlpatterns = []
