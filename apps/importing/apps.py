from django.apps import AppConfig


class ImportingConfig(AppConfig):
    """CSV imports (`import_data`): the top layer, which reads the importable kinds from the
    registry of kinds (apps/records/registry.py); no domain app imports it."""

    name = "apps.importing"
    label = "importing"
