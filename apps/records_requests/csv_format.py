"""The CSV form of records requests and response deadlines: the columns the export writes
and the import reads (its only layout: apps/importing/kinds/records_requests.py).
`nda_ids` and `released_document_urls` are list cells (" | "-separated) like the sources';
released documents are among the sources."""

from apps.core.exports import RECORD_AGENCY_COLUMNS, SOURCE_LIST_COLUMNS

COLUMNS = [
    "id",
    "url",
    *RECORD_AGENCY_COLUMNS,
    "requester",
    "subject",
    "filed_date",
    "closed_date",
    "status",
    "exemptions",
    "nda_ids",
    "outcome",
    "external_url",
    "released_document_urls",
    *SOURCE_LIST_COLUMNS,
]

DEADLINE_COLUMNS = [
    "id",
    "url",
    "country",
    "region",
    "days",
    "day_kind",
    "statute",
    "notes",
    *SOURCE_LIST_COLUMNS,
]
