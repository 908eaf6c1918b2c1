"""The CSV forms of NDAs: the columns the export writes and the import reads.

`COLUMNS` is the export's layout, one row per NDA with its sources in list cells;
`ROW_PER_SOURCE_COLUMNS` is the older layout, one row per (NDA, source), which the import still
reads (docs/import.md). The counterparty is a vendor or an agency: one of the two columns is
set.
"""

from apps.core.exports import (
    AGENCY_COLUMNS,
    RECORD_AGENCY_COLUMNS,
    SOURCE_COLUMNS,
    SOURCE_LIST_COLUMNS,
)

_NDA_COLUMNS = [
    "counterparty_vendor",
    "counterparty_agency",
    "counterparty_agency_region",
    "signed_date",
    "signatory",
    "scope",
    "term",
    "cited_to_withhold",
]

ROW_PER_SOURCE_COLUMNS = [*AGENCY_COLUMNS, *_NDA_COLUMNS, *SOURCE_COLUMNS]

COLUMNS = [
    "id",
    "url",
    *RECORD_AGENCY_COLUMNS,
    *_NDA_COLUMNS[:3],
    "counterparty_slug",
    *_NDA_COLUMNS[3:],
    *SOURCE_LIST_COLUMNS,
]
