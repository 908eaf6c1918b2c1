"""How oversight events are found in site-wide search (apps/records/search.py)."""

from apps.agencies.search import agency_names
from apps.records.search import Document, SearchSpec


class OversightEventSearch(SearchSpec):
    related = ("agency",)
    prefetch = ("agency__aliases",)
    depends_on = ("agency",)

    def document(self, event):
        return Document(
            name=str(event),
            url=event.get_absolute_url(),
            names=agency_names(event.agency),
            text=[event.summary, event.outcome_summary],
            country=event.agency.country,
            region=event.agency.region,
        )


OVERSIGHT_EVENT_SEARCH = OversightEventSearch()
