"""Every saved version of every record, through django-simple-history.

Each model declares `history = registry_history()` and lists in `HISTORY_RELATIONS` the
many-to-many fields (sources, technologies...) and the alias names that belong to a version.
A version stores those as a snapshot (`relations`), so a version can be shown, compared and
restored whole, and one save is one version however many links it changes.

Saves made by the editing services set `_history_user`, `_change_reason` (the edit summary)
and `_approved_by` on the instance; the handlers below copy them onto the version.
"""

from collections import defaultdict
from itertools import islice

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class VersionFields(models.Model):
    """Extra columns on every historical table."""

    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The reviewer who approved this version (the author, for a reviewer's edit).",
    )
    relations = models.JSONField(
        default=dict,
        blank=True,
        help_text="The record's links at this version: source ids, alias names and the like.",
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


def relations_snapshot(instance):
    """The current links of `instance` named in its model's HISTORY_RELATIONS."""
    snapshot = {}
    for name in getattr(type(instance), "HISTORY_RELATIONS", ()):
        related = getattr(instance, name)
        if name == "aliases":
            snapshot[name] = sorted(related.values_list("name", flat=True))
        else:
            snapshot[name] = sorted(related.values_list("pk", flat=True))
    return snapshot


def relations_snapshots(model, pks):
    """{pk: relations_snapshot()} for the records `pks` of `model`, with one query per
    relation rather than per record."""
    snapshots = {pk: {} for pk in pks}
    for name in getattr(model, "HISTORY_RELATIONS", ()):
        field = model._meta.get_field(name)
        if name == "aliases":  # the reverse side of the alias model's foreign key
            owner = field.field.attname
            pairs = field.related_model._base_manager.filter(**{f"{owner}__in": pks})
            pairs = pairs.values_list(owner, "name")
        else:
            through = field.remote_field.through
            owner = f"{field.m2m_field_name()}_id"
            target = f"{field.m2m_reverse_field_name()}_id"
            pairs = through.objects.filter(**{f"{owner}__in": pks}).values_list(owner, target)
        linked = defaultdict(list)
        for pk, value in pairs:
            linked[pk].append(value)
        for pk in pks:
            snapshots[pk][name] = sorted(linked[pk])
    return snapshots


@receiver(pre_create_historical_record)
def fill_version_fields(sender, instance, history_instance, **kwargs):
    history_instance.approved_by = getattr(instance, "_approved_by", None)
    snapshot = getattr(instance, "_relations_snapshot", None)
    if snapshot is None:
        snapshot = relations_snapshot(instance) if instance.pk else {}
    history_instance.relations = snapshot
    if getattr(instance, "_first_version", False):
        # The row was written without history first (to give it its links): this version
        # is still the one that creates it.
        history_instance.history_type = "+"


def save_version(instance, *, user, summary, approved_by=None, first=False, update_fields=None):
    """Save `instance` as ONE new version: its fields and its links as they are now, with
    its author, summary (the edit summary) and approving reviewer. Rows written in bulk
    (the demo loader) and records whose links were set without history get their version
    here, like every edit."""
    instance._history_user = user
    instance._change_reason = summary
    instance._approved_by = approved_by
    instance._first_version = first
    try:
        instance.save(update_fields=update_fields)
    finally:
        del instance._first_version
        instance.__dict__.pop("_relations_snapshot", None)


def save_versions(records, *, user, summary, first=False, batch_size=500):
    """save_version() for many saved records (rows written in bulk), their links read with
    one query per relation and batch rather than per record."""
    by_model = defaultdict(list)
    for record in records:
        by_model[type(record)].append(record)
    for model, group in by_model.items():
        iterator = iter(group)
        while batch := list(islice(iterator, batch_size)):
            snapshots = relations_snapshots(model, [record.pk for record in batch])
            for record in batch:
                record._relations_snapshot = snapshots[record.pk]
                save_version(
                    record, user=user, summary=summary, first=first, update_fields=["updated_at"]
                )


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
