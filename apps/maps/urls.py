from django.urls import path

from . import views

app_name = "maps"
urlpatterns = [
    path("", views.MapView.as_view(), name="map"),
    path("agencies.geojson", views.AgencyGeoJsonView.as_view(), name="geojson"),
]
