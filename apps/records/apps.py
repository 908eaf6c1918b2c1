from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """The write gateway and the registry of record kinds: the layer between `core` (base
    mixins, filters, views) and the domain apps, which register their kinds here and write
    through its services. It imports no domain app."""

    name = "apps.records"
    label = "records"
