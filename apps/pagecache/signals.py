"""Which saves make the published data change, for the page cache. Like the search index
(apps/records/search.py connect_kind), signals are connected to the registered kinds' own
models only, so other models keep Django's fast deletes and pay nothing.

Publishing (approval), reverting, withdrawing, restoring, merging, an admin save, an import
or the demo data all save the record itself, so they are all seen here; links (many-to-many
fields, added without a save of the record), aliases, citations (their page and quote) and
history versions are watched too. A change inside a transaction counts once, when it
commits (apps/core/page_cache.py changed()).

A record waiting for review (a volunteer's new record, a new source cited by a volunteer's
edit), its versions and its links are on no public page: saving them keeps the cached
pages. Otherwise each proposal would empty the cache, and a site with active volunteers would
serve every public page from the database."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.core import page_cache
from apps.core.models import Visibility


def watched_models(kind):
    """The kind's model and the models whose rows are part of its records: its history,
    aliases, citations and the through tables of its links."""
    model = kind.model
    models = [model]
    history = getattr(model, "history", None)
    if history is not None:
        models.append(history.model)
    models += [r.related_model for r in model._meta.related_objects if r.name in RELATED]
    models += [field.remote_field.through for field in model._meta.many_to_many]
    return list(dict.fromkeys(models))


RELATED = ("aliases", "citations")


def connect_kind(kind):
    for model in watched_models(kind):
        uid = f"page-cache-{model._meta.label}"
        post_save.connect(on_change, sender=model, dispatch_uid=uid)
        post_delete.connect(on_change, sender=model, dispatch_uid=uid)
    for field in kind.model._meta.many_to_many:
        through = field.remote_field.through
        uid = f"page-cache-m2m-{through._meta.label}"
        m2m_changed.connect(on_links, sender=through, dispatch_uid=uid)


def _waiting_for_review(instance):
    # A record, or one of its history versions (which copy its visibility). Only a record
    # that is pending now: a published one saved as withdrawn leaves the public pages.
    return getattr(instance, "visibility", None) == Visibility.PENDING


def on_change(sender, instance=None, using=None, **kwargs):
    if not _waiting_for_review(instance):
        page_cache.changed(using or "default")


def on_change_request(sender, instance=None, using=None, **kwargs):
    # Decided changes are the public "recent changes" page and feeds; one still waiting for
    # review is on neither.
    if not instance.is_pending:
        page_cache.changed(using or "default")


def on_links(sender, action, instance=None, using=None, **kwargs):
    if action.startswith("post_") and not _waiting_for_review(instance):
        page_cache.changed(using or "default")
