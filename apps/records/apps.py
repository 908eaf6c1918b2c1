from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class RecordsConfig(AppConfig):
    """The write gateway and the registry of record kinds: the layer between `core` (base
    mixins, filters, views) and the domain apps, which register their kinds here and write
    through its services. It imports no domain app."""

    name = "apps.records"
    label = "records"

    def ready(self):
        from apps.core.search import use_index

        from . import search
        from .registry import on_register

        connection_created.connect(search.prepare_connection, dispatch_uid="search_connection")
        # Every save of an indexed record or alias, whoever makes it, keeps the search index
        # current (apps/records/search.py); the kinds register after this app's ready(), and
        # their models are connected as they do.
        on_register(search.connect_kind)
        # The taxonomy (technologies) is written by data migrations, which send no signals.
        post_migrate.connect(search.index_taxonomy, sender=self, dispatch_uid="search_taxonomy")
        # The lists' `q` (apps/core/filters.py, a layer below) matches through the index.
        use_index(search.filter_records)
