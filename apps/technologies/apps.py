from django.apps import AppConfig


class TechnologiesConfig(AppConfig):
    name = "apps.technologies"
    label = "technologies"
