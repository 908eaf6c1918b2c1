"""The CSV forms of contracts: the columns the export writes and the import reads.

`COLUMNS` is the export's layout, one row per contract with its sources in list cells;
`ROW_PER_SOURCE_COLUMNS` is the older layout, one row per (contract, source), which the import
still reads (docs/import.md). NDAs are in nda_csv_format.py.
"""

from apps.core.exports import (
    AGENCY_COLUMNS,
    RECORD_AGENCY_COLUMNS,
    SOURCE_COLUMNS,
    SOURCE_LIST_COLUMNS,
)

_CONTRACT_COLUMNS = [
    "vendor",
    "products",
    "title",
    "identifier",
    "procurement_method",
    "amount",
    "currency",
    "signed_date",
    "start_date",
    "end_date",
    "funding_source",
    "summary",
]

ROW_PER_SOURCE_COLUMNS = [*AGENCY_COLUMNS, *_CONTRACT_COLUMNS, *SOURCE_COLUMNS]

COLUMNS = [
    "id",
    "url",
    *RECORD_AGENCY_COLUMNS,
    "vendor",
    "vendor_slug",
    *_CONTRACT_COLUMNS[1:],
    "deployment_ids",
    *SOURCE_LIST_COLUMNS,
]

# Product names in one cell; the names are sorted so that the cell does not depend on ids.
PRODUCT_SEPARATOR = ";"
