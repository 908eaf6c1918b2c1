from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data, a development tool: `manage.py seed_demo`. Installed by the local and test
    settings only, so production has neither the command nor its dependency (Faker)."""

    name = "apps.demo"
    label = "demo"
    verbose_name = "Demo data"
