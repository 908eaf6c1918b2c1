"""Reads for the editing pages: history, the review queue, contributions, recent changes."""

import copy

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.paginator import Paginator

from apps.records.models import ChangeAction, ChangeRequest, ChangeStatus
from apps.records.registry import editable_kinds, kind_for_model
from apps.records.services import (
    NOT_RESTORED,
    pending_form,
    revert_refusal,
    revert_refusals,
    version_number,
)

from . import diffs


def records_prefetch():
    # Each kind's name_relations: a list of changes names its records in one query per
    # kind rather than one per change.
    return GenericPrefetch(
        "record",
        [
            kind.model._base_manager.select_related(*kind.name_relations)
            for kind in editable_kinds()
        ],
    )


def record_versions(record, *, with_refusals=False):
    """Every version of a record, newest first, with author and approving reviewer, each
    with its `number` in the record's history (1 for the first). With `with_refusals`
    (for reviewers), each also says in `refusal` why it cannot be restored, or None."""
    versions = list(
        record.history.select_related("history_user", "approved_by").order_by("-history_id")
    )
    refusals = {}
    if with_refusals and versions:
        refusals = revert_refusals(record, versions, current=versions[0])
    for position, version in enumerate(versions):
        version.number = len(versions) - position
        version.refusal = refusals.get(version.history_id)
    return versions


def revert_preview(record, version, *, viewer=None):
    """What reverting `record` to `version` would change (diff rows from the current
    version), why it cannot (or None), and the version's number."""
    current = record.history.order_by("-history_id").first()
    rows = diffs.diff(
        type(record), diffs.version_state(current), diffs.version_state(version), viewer=viewer
    )
    # A revert leaves visibility and merges alone: do not show them as changes.
    kept = {
        str(record._meta.get_field(name).verbose_name).capitalize()
        for name in NOT_RESTORED
        if name != "merged_into" or hasattr(record, "merged_into_id")
    }
    rows = [row for row in rows if row.label not in kept]
    return (
        rows,
        revert_refusal(record, version, current=current),
        version_number(record, version.history_id),
    )


def version_pair_diff(record, *, old_id, new_id, viewer=None):
    """The diff between two versions of `record` (ids of its history), as `viewer` may read
    it; raises DoesNotExist."""
    versions = record.history.filter(history_id__in=[old_id, new_id]).in_bulk(
        field_name="history_id"
    )
    old, new = versions[old_id], versions[new_id]
    return diffs.diff(
        type(record), diffs.version_state(old), diffs.version_state(new), viewer=viewer
    )


def _replayed(change, form_class):
    """The pending edit's form, bound to a copy of the record: validating writes the edit
    onto its instance, and the page goes on naming the record as it is, not as the edit
    (possibly linking a record the viewer may not see) would make it."""
    record = change.record
    change.record = copy.copy(record)
    try:
        return pending_form(change, form_class)
    finally:
        change.record = record


def change_diff(change, *, viewer=None):
    """What a change does, as diff rows, plus a note on a new source it adds, if any, as
    `viewer` may read it (linked records they may not see are not named).

    A pending edit is compared with the record as it is now; a decided change with the
    version before the one it produced; a pending new record is shown whole."""
    record = change.record
    model = type(record)
    if change.is_pending and change.action == ChangeAction.UPDATE:
        form = _replayed(change, kind_for_model(model).form_class)
        current = diffs.record_state(record, _relations(record))
        if not form.is_valid():
            return diffs.diff(model, current, current, viewer=viewer), None, form.errors
        new_state, new_source = diffs.form_state(form)
        return diffs.diff(model, current, new_state, viewer=viewer), new_source, None
    versions = list(record.history.order_by("-history_id"))
    if change.version is None:
        current = diffs.record_state(record, _relations(record))
        return diffs.diff(model, None, current, viewer=viewer), None, None
    index = next((i for i, v in enumerate(versions) if v.history_id == change.version), None)
    if index is None:
        return [], None, None
    new = versions[index]
    old = versions[index + 1] if index + 1 < len(versions) else None
    old_state = diffs.version_state(old) if old else None
    rows = diffs.diff(model, old_state, diffs.version_state(new), viewer=viewer)
    if change.action == ChangeAction.CREATE:
        # A new record is always unpublished until approved: saying so adds nothing.
        # The label as the diff words it, in the language of the page.
        visibility = next(
            (
                str(f.verbose_name).capitalize()
                for f in model._meta.fields
                if f.name == "visibility"
            ),
            None,
        )
        rows = [row for row in rows if row.label != visibility]
    return rows, None, None


def _relations(record):
    from apps.core.history import relations_snapshot

    return relations_snapshot(record)


def review_queue(*, viewer, page=1, per_page=20):
    pending = (
        ChangeRequest.objects.pending()
        .with_related()
        .prefetch_related(records_prefetch())
        .order_by("created_at", "pk")
    )
    paginator = Paginator(pending, per_page)
    page_obj = paginator.get_page(page)
    items = [(change, *change_diff(change, viewer=viewer)) for change in page_obj.object_list]
    return page_obj, items


def pending_count():
    return ChangeRequest.objects.pending().count()


def contributions(*, user):
    changes = (
        ChangeRequest.objects.filter(author=user)
        .with_related()
        .prefetch_related(records_prefetch())
        .order_by("-created_at")
    )
    grouped = {status: [] for status in ChangeStatus.values}
    for change in changes[:500]:
        grouped[change.status].append(change)
    return grouped


def _of_published_records():
    """Changes whose record is public now, as one condition per kind (no extra query)."""
    from django.db.models import Q

    condition = Q(pk__in=[])
    for kind in editable_kinds():
        meta = kind.model._meta
        condition |= Q(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id__in=kind.model.objects.published().values("pk"),
        )
    return condition


def recent_changes():
    """Decided changes to published records, newest first, for the public. Filtered in the
    query, so page counts reveal nothing about records the public cannot see."""
    return (
        ChangeRequest.objects.filter(_of_published_records(), status=ChangeStatus.APPROVED)
        .with_related()
        .prefetch_related(records_prefetch())
        .order_by("-reviewed_at", "-pk")
    )
