"""How records requests are found in site-wide search (apps/records/search.py)."""

from apps.agencies.search import agency_names
from apps.records.search import Document, SearchSpec


class RecordsRequestSearch(SearchSpec):
    related = ("agency",)
    prefetch = ("agency__aliases",)
    depends_on = ("agency",)

    def document(self, request):
        return Document(
            name=str(request),
            url=request.get_absolute_url(),
            names=[*agency_names(request.agency), request.requester],
            text=[request.subject, request.exemptions, request.outcome],
            country=request.agency.country,
            region=request.agency.region,
        )


RECORDS_REQUEST_SEARCH = RecordsRequestSearch()
