"""Every saved version of every record, through django-simple-history.

Each model declares `history = registry_history()` and lists in `HISTORY_RELATIONS` the
many-to-many fields (sources, technologies...) and the alias names that belong to a version.
A version stores those as a snapshot (`relations`), so a version can be shown, compared and
restored whole, and one save is one version however many links it changes.

Saves made by the editing services set `_history_user`, `_change_reason` (the edit summary)
and `_approved_by` on the instance; the handlers below copy them onto the version.
"""

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .models import Visibility


class VersionFields(models.Model):
    """Extra columns on every historical table."""

    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The reviewer who approved this version (the author, for a reviewer's edit)."),
    )
    relations = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("The record's links at this version: source ids, alias names and the like."),
    )

    class Meta:
        abstract = True


def registry_history(*, excluded_fields=()):
    """`excluded_fields`: values derived from others that versions need not keep."""
    return HistoricalRecords(
        bases=[VersionFields],
        history_change_reason_field=models.TextField(null=True),
        excluded_fields=["created_at", *excluded_fields],
    )


# The snapshot's key for the pinpoints of a record's citations (where in each source the
# fact is): {source id as text: {"page": number or None, "quote": text}}, for the citations
# that have one; absent when none has. Not a relation of its own: it describes "sources".
PINPOINTS = "pinpoints"
# A pinpoint's page is from 1 to PAGE_MAX; its quote at most QUOTE_MAX_LENGTH characters
# (the columns of apps/sources' Citation, and what forms and imports accept).
PAGE_MAX = 99999
QUOTE_MAX_LENGTH = 500


def pinpoint(page=None, quote=""):
    """One citation's pinpoint as versions and the write services hold it."""
    return {"page": page, "quote": quote or ""}


def pinpoints_of(instance):
    """The pinpoints of `instance`'s citations (see PINPOINTS), read from its `citations`
    (the rows of its sources' `through` model, which carry a page and a quote)."""
    rows = instance.citations.exclude(page=None, quote="").values_list("source_id", "page", "quote")
    return {str(source_id): pinpoint(page, quote) for source_id, page, quote in rows}


def relations_snapshot(instance):
    """The current links of `instance` named in its model's HISTORY_RELATIONS, and the
    pinpoints of its citations."""
    snapshot = {}
    for name in getattr(type(instance), "HISTORY_RELATIONS", ()):
        related = getattr(instance, name)
        if name == "aliases":
            snapshot[name] = sorted(related.values_list("name", flat=True))
        else:
            snapshot[name] = sorted(related.values_list("pk", flat=True))
        if name == "sources" and (pinpoints := pinpoints_of(instance)):
            snapshot[PINPOINTS] = pinpoints
    return snapshot


@receiver(pre_create_historical_record)
def fill_version_fields(sender, instance, history_instance, **kwargs):
    history_instance.approved_by = getattr(instance, "_approved_by", None)
    history_instance.relations = relations_snapshot(instance) if instance.pk else {}
    if getattr(instance, "_first_version", False):
        # The row was written without history first (to give it its links): this version
        # is still the one that creates it.
        history_instance.history_type = "+"


def save_version(instance, *, user, summary, approved_by=None, first=False, update_fields=None):
    """Save `instance` as ONE new version: its fields and its links as they are now, with
    its author, summary (the edit summary) and approving reviewer. Records whose links were
    set without history (a batch of the write gateway) get their version here, like every
    edit."""
    instance._history_user = user
    instance._change_reason = summary
    instance._approved_by = approved_by
    instance._first_version = first
    try:
        instance.save(update_fields=update_fields)
    finally:
        del instance._first_version


@receiver(m2m_changed)
def record_link_changes_as_a_version(sender, instance, action, reverse, pk_set=None, **kwargs):
    """A link added or removed outside the editing services (the admin, an import adding a
    source to a matched record) becomes a version of its own. The services change links
    while `skip_history_when_saving` is set and then save once."""
    if action not in {"post_add", "post_remove", "post_clear"} or reverse:
        return
    if action != "post_clear" and not pk_set:
        return  # add() of links already there, remove() of links not there: nothing changed
    model = type(instance)
    if not hasattr(model, "HISTORY_RELATIONS") or hasattr(instance, "skip_history_when_saving"):
        return
    tracked = {
        getattr(model, name).through for name in model.HISTORY_RELATIONS if name != "aliases"
    }
    if sender in tracked:
        instance.save(update_fields=["updated_at"])


def latest_version_id(instance):
    """The id of the record's newest version, or None: what an edit form was based on."""
    return instance.history.order_by("-history_id").values_list("history_id", flat=True).first()


def public_versions(versions):
    """The versions (a history QuerySet) in which the record was public: for a kind with a
    visibility, those saved while it was published; every version of the others (the
    taxonomy, always public)."""
    if any(f.name == "visibility" for f in versions.model._meta.concrete_fields):
        return versions.filter(visibility=Visibility.PUBLISHED)
    return versions
