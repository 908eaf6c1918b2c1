from django.apps import AppConfig


class MapsConfig(AppConfig):
    """/map/: the deployments list's selection as agencies on a map, a list and GeoJSON."""

    name = "apps.maps"
    label = "maps"
