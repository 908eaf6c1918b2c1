"""The CSV forms of deployments: the columns the export writes and the import reads.

`COLUMNS` is the export's layout, one row per deployment with its sources in list cells;
`ROW_PER_SOURCE_COLUMNS` is the older layout, one row per (deployment, source), which the
import still reads. The import tells them apart by the header (docs/import.md).
"""

from apps.core.exports import (
    AGENCY_COLUMNS,
    COORDINATE_COLUMNS,
    RECORD_AGENCY_COLUMNS,
    SOURCE_COLUMNS,
    SOURCE_LIST_COLUMNS,
)

_DEPLOYMENT_COLUMNS = [
    "technology",
    "vendor",
    "product",
    "status",
    "start_date",
    "end_date",
    "summary",
    "public_input",
    "use_policy",
]

ROW_PER_SOURCE_COLUMNS = [
    *AGENCY_COLUMNS,
    *COORDINATE_COLUMNS,
    *_DEPLOYMENT_COLUMNS,
    *SOURCE_COLUMNS,
]

COLUMNS = [
    "id",
    "url",
    *RECORD_AGENCY_COLUMNS,
    *COORDINATE_COLUMNS,
    "technology",
    "vendor",
    "vendor_slug",
    *_DEPLOYMENT_COLUMNS[2:],
    "contract_ids",
    "nda_ids",
    *SOURCE_LIST_COLUMNS,
]
