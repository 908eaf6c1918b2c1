"""Merging a duplicate record (an agency, a vendor: the kinds registered with merge rules)
into the record that survives.

Every record that points at the duplicate (deployments, contracts, NDAs, child agencies or
subsidiaries, products) is moved to the survivor and saved as a version of its own, so its
history says why it changed. The duplicate's name and aliases become aliases of the
survivor (the duplicate keeps its own, for its history) and its sources are added to the
survivor's. The duplicate is never deleted: it is
withdrawn with `merged_into` set, and its address redirects to the survivor."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from apps.core.history import PINPOINTS, pinpoints_of
from apps.core.models import Visibility

from .models import ChangeAction, ChangeRequest, ChangeStatus
from .registry import kind_for_model, mergeable_kinds
from .services import _log, change_reject, record_save


@dataclass(frozen=True)
class MergeRules:
    """What a mergeable kind adds to the merge below, declared by its app and registered
    with its kind (Kind.merge_rules)."""

    labels: dict = field(default_factory=dict)
    """How the preview names what moves: {(referencing model label, field name): label};
    other references get a name built from the model."""
    moved_first: tuple = ()
    """Labels of referencing models moved before the others (a deployment naming a product
    is checked against the product's vendor, which must already be the survivor)."""
    conflicts: Callable = lambda duplicate, survivor: []
    """(duplicate, survivor) → the kind's own reasons the merge cannot be done."""


def _rules(model):
    try:
        return kind_for_model(model).merge_rules_object
    except LookupError:
        return None


def _noun(model):
    return model._meta.verbose_name.capitalize()


def references(model):
    """[(referencing model, [field names])] of every foreign key to `model` that a merge
    moves: all of them except the aliases and the citations of sources (both merged
    separately) and `merged_into`."""
    merged_separately = {model.aliases.rel.related_model, model.sources.through}
    grouped = {}
    for rel in model._meta.related_objects:
        if not (rel.many_to_one or rel.one_to_many) or rel.related_model in merged_separately:
            continue
        if rel.related_model is model and rel.field.name == "merged_into":
            continue
        grouped.setdefault(rel.related_model, []).append(rel.field.name)
    first = _rules(model).moved_first
    return sorted(grouped.items(), key=lambda item: item[0]._meta.label_lower not in first)


def _label(labels, model, field_name):
    key = (model._meta.label_lower, field_name)
    if key in labels:
        return labels[key]
    field = model._meta.get_field(field_name)
    return f"{model._meta.verbose_name_plural.capitalize()} ({field.verbose_name})"


def _position(order, label):
    return order.index(label) if label in order else len(order)


def _pointing_at(model, fields, record):
    query = Q()
    for name in fields:
        query |= Q(**{name: record})
    return model.objects.filter(query)


def merge_preview(duplicate):
    """[(label, count)] of what merging `duplicate` would move, unpublished records included;
    labels shared by two references (deployments of a vendor by product or by vendor) add up.
    """
    labels = _rules(type(duplicate)).labels
    counts = {}
    for model, fields in references(type(duplicate)):
        for name in fields:
            label = _label(labels, model, name)
            counts[label] = counts.get(label, 0) + model.objects.filter(**{name: duplicate}).count()
    order = list(dict.fromkeys(labels.values()))
    counts = dict(sorted(counts.items(), key=lambda item: _position(order, item[0])))
    counts[gettext("Records merged into it earlier")] = duplicate.merged_records.count()
    counts[gettext("Other names (its name included)")] = duplicate.aliases.count() + 1
    counts[gettext("Sources")] = duplicate.sources.count()
    return list(counts.items())


def _descendant_ids(model, pk):
    ids, frontier = set(), [pk]
    while frontier:
        frontier = list(
            model.objects.filter(parent__in=frontier)
            .exclude(pk__in=ids | {pk})
            .values_list("pk", flat=True)
        )
        ids.update(frontier)
    return ids


def _check(duplicate, survivor):
    """Every reason the merge cannot be done, as one ValidationError; nothing when it can."""
    model = type(duplicate)
    rules = _rules(model)
    if rules is None or type(survivor) is not model:
        mergeable = gettext(" and ").join(str(kind.plural) for kind in mergeable_kinds())
        raise ValidationError(
            gettext(
                "“%(duplicate)s” cannot be merged into “%(survivor)s”: only %(kinds)s are "
                "merged, and only into a record of the same kind."
            )
            % {"duplicate": duplicate, "survivor": survivor, "kinds": mergeable}
        )
    noun = model._meta.verbose_name
    if duplicate.pk == survivor.pk:
        raise ValidationError(gettext("A %(noun)s cannot be merged into itself.") % {"noun": noun})
    if duplicate.merged_into_id:
        raise ValidationError(
            gettext("“%(duplicate)s” was already merged into “%(survivor)s”.")
            % {"duplicate": duplicate, "survivor": duplicate.merged_into}
        )
    if survivor.merged_into_id:
        raise ValidationError(
            gettext(
                "“%(survivor)s” was itself merged into “%(other)s”: merge into that %(noun)s "
                "instead."
            )
            % {"survivor": survivor, "other": survivor.merged_into, "noun": noun}
        )
    if not survivor.is_published:
        # The survivor is what the public sees from now on, and where the duplicate leads.
        raise ValidationError(
            gettext(
                "“%(survivor)s” is not published (%(visibility)s): publish or restore it "
                "before merging another %(noun)s into it."
            )
            % {
                "survivor": survivor,
                "visibility": survivor.get_visibility_display().lower(),
                "noun": noun,
            }
        )

    problems = []
    if survivor.pk in _descendant_ids(model, duplicate.pk):
        problems.append(
            gettext(
                "“%(survivor)s” belongs to “%(duplicate)s” (directly or through another "
                "%(noun)s): merging would make it its own parent. Change its parent first."
            )
            % {"survivor": survivor, "duplicate": duplicate, "noun": noun}
        )
    problems += rules.conflicts(duplicate, survivor)
    if problems:
        raise ValidationError(problems)


def _save_moved(record, *, reviewer, summary):
    try:
        record_save(record=record, user=reviewer, summary=summary, approved_by=reviewer)
    except ValidationError as exc:
        raise ValidationError(
            gettext("%(noun)s “%(record)s” (#%(number)s) cannot be moved: %(why)s")
            % {
                "noun": _noun(type(record)),
                "record": record,
                "number": record.pk,
                "why": " ".join(exc.messages),
            }
        ) from exc


def _merged_aliases(duplicate, survivor):
    """The survivor's other names plus the duplicate's name and other names, once each and
    never the survivor's own name."""
    names = list(survivor.aliases.values_list("name", flat=True))
    seen = {name.casefold() for name in names} | {survivor.name.casefold()}
    for name in [duplicate.name, *duplicate.aliases.values_list("name", flat=True)]:
        name = name.strip()
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


@transaction.atomic
def merge_records(*, duplicate, survivor, reviewer, reason):
    """Merge `duplicate` into `survivor` (two agencies or two vendors). Returns the MERGE
    ChangeRequest, logged on the survivor. Raises ValidationError and changes nothing when
    the merge cannot be done."""
    model = type(duplicate)
    if _rules(model) is not None and type(survivor) is model:
        # Fresh copies, locked: two reviewers merging at once must not both succeed.
        locked = model.objects.select_for_update().in_bulk([duplicate.pk, survivor.pk])
        duplicate, survivor = locked.get(duplicate.pk, duplicate), locked.get(survivor.pk, survivor)
    _check(duplicate, survivor)

    reason = (reason or "").strip()
    moved_summary = f"{_noun(model)} merged: {duplicate} into {survivor}"
    summary = f"{moved_summary}: {reason}" if reason else moved_summary

    for referencing, fields in references(model):
        for record in _pointing_at(referencing, fields, duplicate).order_by("pk"):
            for name in fields:
                if getattr(record, f"{name}_id") == duplicate.pk:
                    setattr(record, name, survivor)
            _save_moved(record, reviewer=reviewer, summary=moved_summary)

    # Records merged into the duplicate earlier now lead straight to the survivor.
    for earlier in model.objects.filter(merged_into=duplicate).order_by("pk"):
        earlier.merged_into = survivor
        _save_moved(
            earlier,
            reviewer=reviewer,
            summary=f"{moved_summary} (it had been merged into {duplicate})",
        )

    # A pending change to the duplicate would bring it back or edit a record nobody sees.
    for change in ChangeRequest.objects.for_record(duplicate).pending():
        change_reject(
            change=change,
            reviewer=reviewer,
            reason=f"“{duplicate}” was merged into “{survivor}”: please make the change there.",
        )

    sources = list(survivor.sources.all())
    # Only published evidence moves to a published record (a pending or withdrawn source of
    # the duplicate would otherwise surface in the survivor's public history), with the page
    # and quote the duplicate cited it at.
    moved = [source for source in duplicate.sources.published() if source not in sources]
    pinpoints = {
        key: pin
        for key, pin in pinpoints_of(duplicate).items()
        if key in {str(source.pk) for source in moved}
    }
    survivor_version = record_save(
        record=survivor,
        user=reviewer,
        summary=summary,
        links={"sources": sources + moved, PINPOINTS: {**pinpoints, **pinpoints_of(survivor)}},
        aliases=_merged_aliases(duplicate, survivor),
        approved_by=reviewer,
    )

    duplicate.merged_into = survivor
    duplicate.visibility = Visibility.WITHDRAWN
    record_save(
        record=duplicate,
        user=reviewer,
        summary=summary,
        approved_by=reviewer,
    )

    return _log(
        record=survivor,
        action=ChangeAction.MERGE,
        user=reviewer,
        summary=summary[:500],
        status=ChangeStatus.APPROVED,
        version=survivor_version,
        reviewer=reviewer,
        review_reason=reason,
    )
