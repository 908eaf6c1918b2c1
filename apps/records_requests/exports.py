"""How records requests and response deadlines are exported: one CSV row (csv_format.py)
and one JSON object per record. The due date is not a column: it is derived, not data."""

from apps.contracts.exports import agency_ref
from apps.core.exports import (
    RecordExport,
    agency_cells,
    citation_json,
    citation_list_cells,
    join_list,
    ordered_citations,
    partial_date_json,
)

from . import csv_format


def released_documents(request):
    # Prefetched published only (with_related); sorted like the sources' cells.
    return sorted(request.released_documents.all(), key=lambda source: (source.url, source.pk))


def nda_ids(request):
    return [nda.pk for nda in request.ndas_cited.all()]


class RecordsRequestExport(RecordExport):
    columns = csv_format.COLUMNS

    def cells(self, request):
        return {
            "id": request.pk,
            "url": self.url(request),
            **agency_cells(request.agency, with_coordinates=False),
            "requester": request.requester,
            "subject": request.subject,
            "filed_date": request.filed,
            "closed_date": request.closed,
            "status": request.status,
            "exemptions": request.exemptions,
            "nda_ids": join_list(nda_ids(request)),
            "outcome": request.outcome,
            "external_url": request.external_url,
            "released_document_urls": join_list(
                source.url for source in released_documents(request)
            ),
            **citation_list_cells(ordered_citations(request)),
        }

    def json(self, request):
        return {
            "id": request.pk,
            "url": self.url(request),
            "agency": agency_ref(request.agency),
            "requester": request.requester,
            "subject": request.subject,
            "filed": partial_date_json(request.filed),
            "closed": partial_date_json(request.closed),
            "status": request.status,
            "open": request.is_open,
            "exemptions": request.exemptions,
            "ndas": nda_ids(request),
            "outcome": request.outcome,
            "external_url": request.external_url,
            "released_documents": [source.pk for source in released_documents(request)],
            "sources": [citation_json(citation) for citation in ordered_citations(request)],
            "updated_at": request.updated_at,
        }


class ResponseDeadlineExport(RecordExport):
    columns = csv_format.DEADLINE_COLUMNS

    def cells(self, deadline):
        return {
            "id": deadline.pk,
            "url": self.url(deadline),
            "country": deadline.country,
            "region": deadline.region,
            "days": deadline.days,
            "day_kind": deadline.day_kind,
            "statute": deadline.statute,
            "notes": deadline.notes,
            **citation_list_cells(ordered_citations(deadline)),
        }

    def json(self, deadline):
        return {
            "id": deadline.pk,
            "url": self.url(deadline),
            "country": deadline.country,
            "region": deadline.region,
            "days": deadline.days,
            "day_kind": deadline.day_kind,
            "statute": deadline.statute,
            "notes": deadline.notes,
            "sources": [citation_json(citation) for citation in ordered_citations(deadline)],
            "updated_at": deadline.updated_at,
        }
