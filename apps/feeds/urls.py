from django.urls import path

from . import feeds

app_name = "feeds"
urlpatterns = [
    path("changes/", feeds.ChangesFeed(), name="changes"),
    path("agencies/<str:slug>/", feeds.AgencyFeed(), name="agency"),
    path("vendors/<str:slug>/", feeds.VendorFeed(), name="vendor"),
    path("technologies/<str:slug>/", feeds.TechnologyFeed(), name="technology"),
    path("regions/<str:country>/<str:region>/", feeds.RegionFeed(), name="region"),
]
