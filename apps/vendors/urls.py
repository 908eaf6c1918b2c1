app_name = "vendors"
urlpatterns = []
