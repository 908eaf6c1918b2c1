"""The dated timeline on agency and vendor profiles: deployments, contracts and NDAs in one
list, newest first, undated items last."""

import datetime
from dataclasses import dataclass

from .partial_dates import PartialDate


@dataclass(frozen=True)
class TimelineItem:
    date: PartialDate | None
    kind: str  # "deployment", "contract" or "nda": the template shows each its own way
    record: object

    @property
    def sort_key(self):
        return (self.date is not None, self.date.date if self.date else datetime.date.min)


def build_timeline(*, deployments=(), contracts=(), ndas=()):
    items = [TimelineItem(d.start, "deployment", d) for d in deployments]
    items += [TimelineItem(c.date, "contract", c) for c in contracts]
    items += [TimelineItem(n.signed, "nda", n) for n in ndas]
    return sorted(items, key=lambda item: item.sort_key, reverse=True)
