"""The dated timeline on agency, vendor and deployment pages: deployments (and, on a
deployment's own page, its end), contracts, NDAs, records requests and oversight events in
one list, newest first, undated items last; and the order of partial dates that every
timeline follows (`date_order`). Core names no domain app: each entry reads the record's
own partial-date accessor (`start`, `end`, `date`, `signed`, `filed`)."""

import datetime
from dataclasses import dataclass

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
