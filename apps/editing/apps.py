from django.apps import AppConfig


class EditingConfig(AppConfig):
    name = "apps.editing"
    label = "editing"
