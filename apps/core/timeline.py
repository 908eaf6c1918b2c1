"""The dated timeline on agency, vendor and deployment pages: deployments (and, on a
deployment's own page, its end), contracts, NDAs, records requests and oversight events in
one list, newest first, undated items last; and the order of partial dates that every
timeline follows (`date_order`). Core names no domain app: each entry reads the record's
own partial-date accessor (`start`, `end`, `date`, `signed`, `filed`)."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, DateField, Q, Value, When
from django.db.models.functions import Coalesce

from .partial_dates import DatePrecision, PartialDate

# Among dates that start on the same day, the less precise comes first: "2019" could be any
# day of the year, so it is placed at its earliest, before "March 2019" and "1 March 2019".
_PRECISION_ORDER = {DatePrecision.YEAR: 0, DatePrecision.MONTH: 1, DatePrecision.DAY: 2}


def date_order(partial):
    """The place of a partial date in a timeline, oldest first: by the earliest day it could
    be, then the less precise first ("2019" < "March 2019" < "5 March 2019" < "6 March
    2019"); an unknown date (None) after every known one."""
    if partial is None:
        return (True, datetime.date.max, 0)
    return (False, partial.date, _PRECISION_ORDER.get(partial.precision, 2))


@dataclass(frozen=True)
class TimelineItem:
    date: PartialDate | None
    # "deployment" (dated by its start), "deployment-start" and "deployment-end" (a
    # deployment's own page), "contract", "nda", "records-request" (dated by its filing) or
    # "oversight": each shown its own way.
    kind: str
    record: object

    @property
    def sort_key(self):
        """Newest first once reversed, undated items still last."""
        unknown, *order = date_order(self.date)
        return (not unknown, *order)


def build_timeline(
    *,
    deployments=(),
    deployment_span=None,
    contracts=(),
    ndas=(),
    records_requests=(),
    oversight_events=(),
):
    """One list of everything given, newest first. `deployment_span` is the deployment whose
    page this is: its start is an entry, and its end one more once it has ended."""
    items = [TimelineItem(d.start, "deployment", d) for d in deployments]
    if deployment_span is not None:
        items.append(TimelineItem(deployment_span.start, "deployment-start", deployment_span))
        if deployment_span.end:
            items.append(TimelineItem(deployment_span.end, "deployment-end", deployment_span))
    items += [TimelineItem(c.date, "contract", c) for c in contracts]
    items += [TimelineItem(n.signed, "nda", n) for n in ndas]
    items += [TimelineItem(r.filed, "records-request", r) for r in records_requests]
    items += [TimelineItem(e.date, "oversight", e) for e in oversight_events]
    return sorted(items, key=lambda item: item.sort_key, reverse=True)


# ---------------------------------------------------------------------------------------------
# A long timeline in pages (an agency's or a vendor's profile: thousands of records at scale)

TIMELINE_PAGE_SIZE = 50
# The date an undated record sorts by: before every real date, so last on a newest-first page
# (the lists' sentinel for an unknown date, apps/core/pagination.py).
_UNDATED = datetime.date(1, 1, 1)


class TimelineCursorError(ValueError):
    """A `timeline` position that this site did not write (typed or cut short)."""


@dataclass(frozen=True)
class TimelineSource:
    """One kind of record on a paged timeline: `queryset` its records on this page (published,
    with what an entry shows). Its model says which date places a record: `TIMELINE_DATE`,
    (the partial-date fields, the first known of them (a contract's: signed, else started);
    the record's partial-date accessor that reads that date)."""

    kind: str
    queryset: object

    @property
    def date_fields(self):
        return self.queryset.model.TIMELINE_DATE[0]

    @property
    def date_attribute(self):
        return self.queryset.model.TIMELINE_DATE[1]


def _precision_rank(field):
    return Case(
        *(
            When(**{f"{field}_precision": value}, then=Value(rank))
            for value, rank in _PRECISION_ORDER.items()
        ),
        default=Value(_PRECISION_ORDER[DatePrecision.DAY]),
    )


def _ordered(source):
    """The source's records with their timeline keys (`timeline_date`, `timeline_rank`)."""
    date = Coalesce(*source.date_fields, Value(_UNDATED), output_field=DateField())
    rank = Case(
        *(
            When(**{f"{field}__isnull": False}, then=_precision_rank(field))
            for field in source.date_fields
        ),
        default=Value(0),
    )
    return source.queryset.annotate(timeline_date=date, timeline_rank=rank)


@dataclass(frozen=True)
class _Position:
    """An entry's place in a newest-first timeline: later dates, then more precise dates,
    first; among equal dates, the kinds in the page's order, then the newest record first."""

    date: datetime.date
    rank: int
    kind: int
    pk: int

    @property
    def key(self):
        """Ascending in the page's order."""
        return (-self.date.toordinal(), -self.rank, self.kind, -self.pk)

    def encode(self):
        return f"{self.date.isoformat()}.{self.rank}.{self.kind}.{self.pk}"

    @classmethod
    def decode(cls, text, kinds):
        try:
            date, rank, kind, pk = text.split(".")
            position = cls(datetime.date.fromisoformat(date), int(rank), int(kind), int(pk))
        except ValueError as error:
            raise TimelineCursorError(text) from error
        if not (0 <= position.rank <= 2 and 0 <= position.kind < kinds and position.pk > 0):
            raise TimelineCursorError(text)
        return position


def _beyond(position, kind, *, older):
    """The filter of one kind's records that come after `position` (older) or before it
    (newer) in the page's order."""
    later = "lt" if older else "gt"
    same_day = Q(timeline_date=position.date)
    condition = Q(**{f"timeline_date__{later}": position.date}) | (
        same_day & Q(**{f"timeline_rank__{later}": position.rank})
    )
    same_place = same_day & Q(timeline_rank=position.rank)
    if kind == position.kind:
        condition |= same_place & Q(**{f"pk__{later}": position.pk})
    elif (kind > position.kind) == older:
        condition |= same_place
    return condition


@dataclass
class TimelinePage:
    """`size` entries of a timeline and where the pages before and after start: `older` and
    `newer` are `timeline` parameters (None: there is none), `items` TimelineItems."""

    items: list
    older: str | None
    newer: str | None
    is_first: bool


def timeline_page(sources, *, cursor=None, size=None):
    """One page of the timeline of `sources` (TimelineSources, in their order among equal
    dates): the newest entries, or those after `cursor` ("o<position>": older than that
    entry; "n<position>": newer). Two queries per source however long the timeline: its
    next `size + 1` positions from the cursor on (keys only), then, once the page is the
    first `size` of their merge, the source's records on the page (and their prefetches;
    none for a source with no entry on it). `size` is TIMELINE_PAGE_SIZE unless given.
    Raises TimelineCursorError for a cursor it cannot read."""
    size = size or TIMELINE_PAGE_SIZE
    older, position = True, None
    if cursor:
        if cursor[0] not in "on":
            raise TimelineCursorError(cursor)
        older, position = cursor[0] == "o", _Position.decode(cursor[1:], len(sources))
    places = []
    direction = "-" if older else ""
    for kind, source in enumerate(sources):
        keys = _ordered(source).prefetch_related(None)
        if position is not None:
            keys = keys.filter(_beyond(position, kind, older=older))
        keys = keys.order_by(
            f"{direction}timeline_date", f"{direction}timeline_rank", f"{direction}pk"
        ).values_list("timeline_date", "timeline_rank", "pk")
        places += [_Position(date, rank, kind, pk) for date, rank, pk in keys[: size + 1]]
    places.sort(key=lambda place: place.key, reverse=not older)
    more = len(places) > size
    places = places[:size]
    if not older:
        places.reverse()
    first_page = position is None or (not older and not more)
    has_older = more if older else position is not None
    return TimelinePage(
        items=_entries(sources, places),
        older="o" + places[-1].encode() if places and has_older else None,
        newer="n" + places[0].encode() if places and not first_page else None,
        is_first=first_page,
    )


def _entries(sources, places):
    """The TimelineItems at `places`, in their order: each source's records read at once."""
    records = {}
    for kind, source in enumerate(sources):
        pks = [place.pk for place in places if place.kind == kind]
        if pks:
            records[kind] = source.queryset.in_bulk(pks)
    return [
        TimelineItem(
            getattr(records[place.kind][place.pk], sources[place.kind].date_attribute),
            sources[place.kind].kind,
            records[place.kind][place.pk],
        )
        for place in places
    ]
