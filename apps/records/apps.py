from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_migrate, post_save


class RecordsConfig(AppConfig):
    """The write gateway and the registry of record kinds: the layer between `core` (base
    mixins, filters, views) and the domain apps, which register their kinds here and write
    through its services. It imports no domain app."""

    name = "apps.records"
    label = "records"

    def ready(self):
        from apps.core.search import use_index

        from . import search

        connection_created.connect(search.prepare_connection, dispatch_uid="search_connection")
        # Every save of an indexed record or alias, whoever makes it, keeps the search index
        # current (apps/records/search.py); the kinds register after this app's ready(), so
        # the handlers look the models up when they are called.
        post_save.connect(search.on_save, dispatch_uid="search_index_save")
        post_delete.connect(search.on_delete, dispatch_uid="search_index_delete")
        # The taxonomy (technologies) is written by data migrations, which send no signals.
        post_migrate.connect(search.index_taxonomy, sender=self, dispatch_uid="search_taxonomy")
        # The lists' `q` (apps/core/filters.py, a layer below) matches through the index.
        use_index(search.filter_records)
