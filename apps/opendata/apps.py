from django.apps import AppConfig


class OpendataConfig(AppConfig):
    """Bulk download and open formats: the data package (`build_data_package`, /data/) and
    contracts in the Open Contracting Data Standard (/data/ocds.json)."""

    name = "apps.opendata"
    label = "opendata"
