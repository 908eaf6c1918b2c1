"""Which saves make the published data change, for the page cache. Like the search index
(apps/records/search.py connect_kind), signals are connected to the registered kinds' own
models only, so other models keep Django's fast deletes and pay nothing.

Publishing (approval), reverting, withdrawing, restoring, merging, an admin save, an import
or the demo data all save the record itself, so they are all seen here; links (many-to-many
fields, added without a save of the record), aliases, citations (their page and quote) and
history versions are watched too. A change inside a transaction counts once, when it
commits (apps/core/page_cache.py changed())."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.core import page_cache


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


def on_change(sender, using=None, **kwargs):
    page_cache.changed(using or "default")


def on_links(sender, action, using=None, **kwargs):
    if action.startswith("post_"):
        page_cache.changed(using or "default")
