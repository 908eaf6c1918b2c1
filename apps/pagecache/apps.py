from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Keeps the page cache (apps/core/page_cache.py) current: every change to a record of
    any registered kind, to its aliases, citations, links or history, makes a new
    publication generation when its transaction commits. Here, in the top layer, because
    the models are found through the registry of kinds, which core may not read."""

    name = "apps.pagecache"
    label = "pagecache"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from apps.records.models import ChangeRequest
        from apps.records.registry import on_register

        from . import signals

        # The kinds registered so far, and any registered later.
        on_register(signals.connect_kind)
        # Approved changes are the public "recent changes" page and feeds.
        for signal in (post_save, post_delete):
            signal.connect(
                signals.on_change_request, sender=ChangeRequest, dispatch_uid="page-cache"
            )
