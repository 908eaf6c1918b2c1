"""What the Atom feeds list: versions from the public history of published records.

A feed covers a scope: for each kind of record, the published records it is about (all of
them for the site-wide feed; for an agency, the records its list filters select with
`agency=<slug>`...). Its entries are the newest versions of those records saved while the
record was public (core.history.public_versions), the versions the history pages show: a
change waiting for review is not a version of a published record, and a withdrawn record
is out of every scope, its earlier versions included.

One query per kind of the scope for the versions (with their authors and numbers), then
one per kind that has an entry for the records themselves: never one per entry."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.http import QueryDict
from django.urls import reverse

from apps.core.history import public_versions
from apps.core.selectors import filter_list
from apps.records.registry import all_kinds

FEED_LENGTH = 50
"""Entries in a feed: the newest versions. Feed readers poll; older entries are on the
history pages."""


@dataclass
class Scope:
    """What a feed is about. `records` maps each kind it covers to a QuerySet of the
    published records (their primary keys are what is used)."""

    title: str
    link: str
    description: str
    records: dict


@dataclass
class Entry:
    kind: object
    version: object
    number: int
    first_public: bool
    """The first version of a public run: the record was just published (or restored)."""
    record: object = None

    @property
    def key(self):
        return getattr(self.record, "slug", None) or self.record.pk

    @property
    def action(self):
        if self.first_public:
            return "published" if self.kind.publishable else "added"
        return "changed"

    @property
    def author(self):
        """The author's public name, as the history page shows it (never an email)."""
        user = self.version.history_user
        return user.public_name if user else ""

    @property
    def reviewer(self):
        user = self.version.approved_by
        return user.public_name if user else ""

    @property
    def summary(self):
        return self.version.history_change_reason or ""

    @property
    def history_url(self):
        """The record's history page, comparing this version with the one before it (the
        page the history links itself); None for a kind without a history page."""
        if not self.kind.editable:
            return None
        url = reverse("editing:history", kwargs={"kind": self.kind.key, "key": self.key})
        if self.number > 1:
            return f"{url}?old={self.number - 1}&new={self.number}"
        return url


def _versions(kind, record_ids, limit):
    """The newest public versions of the records `record_ids` (a pk subquery), numbered."""
    history = kind.model.history.model._default_manager
    same_record = history.filter(id=OuterRef("id")).order_by()
    versions = public_versions(history.filter(id__in=record_ids)).annotate(
        # Its number in the record's history (1 for the first), as the history page counts.
        number=Subquery(
            same_record.filter(history_id__lte=OuterRef("history_id"))
            .values("id")
            .annotate(n=Count("*"))
            .values("n")
        )
    )
    if kind.publishable:
        versions = versions.annotate(
            previous_visibility=Subquery(
                same_record.filter(history_id__lt=OuterRef("history_id"))
                .order_by("-history_id")
                .values("visibility")[:1]
            )
        )
    versions = versions.select_related("history_user", "approved_by")
    return list(versions.order_by("-history_date", "-history_id")[:limit])


def _first_public(kind, version):
    if version.number == 1:
        return True
    if not kind.publishable:
        return False
    # The versions listed are public ones: the one before was not when it was pending or
    # withdrawn.
    return version.previous_visibility != version.visibility


def feed_entries(scope, *, limit=FEED_LENGTH):
    """The newest `limit` entries of `scope`, newest first."""
    entries = []
    for kind, records in scope.records.items():
        for version in _versions(kind, records.values("pk"), limit):
            entries.append(Entry(kind, version, version.number, _first_public(kind, version)))
    entries.sort(key=lambda e: (e.version.history_date, e.version.history_id), reverse=True)
    entries = entries[:limit]
    by_kind = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry)
    for kind, kind_entries in by_kind.items():
        # The record as it is now names the entry and gives its address: a version's own
        # name would need its linked records (a deployment's agency) one by one.
        records = kind.model._base_manager.select_related(*kind.name_relations).in_bulk(
            {entry.version.id for entry in kind_entries}
        )
        for entry in kind_entries:
            entry.record = records[entry.version.id]
    return entries


def published(kind):
    if kind.publishable:
        return kind.model.objects.published()
    return kind.model.objects.all()


def site_scope(*, title, link, description):
    """Every published record of every kind."""
    return Scope(title, link, description, {kind: published(kind) for kind in all_kinds()})


def filtered_scope(*, title, link, description, params, kinds, subject=None):
    """The records of `kinds` that their list's FilterSet selects with `params` (the same
    meaning of `agency=`, `vendor=`, `region=` as the list pages), plus `subject` itself.
    None when the parameters are not valid (a region that does not exist)."""
    records = {}
    if subject is not None:
        subject_kind, record = subject
        records[subject_kind] = published(subject_kind).filter(pk=record.pk)
    for kind, names in kinds:
        query = QueryDict(mutable=True)
        for name in names:
            query[name] = params[name]
        filtered = filter_list(
            filterset_class=kind.filterset_class, params=query, queryset=published(kind)
        )
        if not filtered.is_valid:
            return None
        records[kind] = filtered.queryset
    return Scope(title, link, description, records)


def kinds_filtered_by(*names, alternatives=(), skip=()):
    """[(kind, the parameters it is filtered by)]: each kind whose FilterSet has all of
    `names`, else one of `alternatives` (an NDA's `counterparty` for a vendor), except the
    kinds in `skip`."""
    found = []
    for kind in all_kinds():
        if kind.key in skip or kind.filterset_class is None:
            continue
        filters = kind.filterset_class.base_filters
        if all(name in filters for name in names):
            found.append((kind, names))
            continue
        alternative = next((name for name in alternatives if name in filters), None)
        if alternative:
            found.append((kind, (alternative,)))
    return found
