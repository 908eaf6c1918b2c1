"""The CSV form of deployments: the columns the import reads and the export writes.

`rows(queryset)` writes one row per (deployment, source); `import_data deployments` reads
them back (docs/import.md), so an export re-imports into another database unchanged.
"""

from apps.core.importing import (
    AGENCY_COLUMNS,
    COORDINATE_COLUMNS,
    SOURCE_COLUMNS,
    agency_cells,
    export_rows,
    text_or_empty,
)

COLUMNS = [
    *AGENCY_COLUMNS,
    *COORDINATE_COLUMNS,
    "technology",
    "vendor",
    "product",
    "status",
    "start_date",
    "end_date",
    "summary",
    "public_input",
    "use_policy",
    *SOURCE_COLUMNS,
]


def deployment_cells(deployment):
    """The deployment's cells before the source columns."""
    return [
        *agency_cells(deployment.agency, with_coordinates=True),
        deployment.technology.name,
        deployment.vendor.name if deployment.vendor_id else "",
        deployment.product.name if deployment.product_id else "",
        deployment.status,
        text_or_empty(deployment.start),
        text_or_empty(deployment.end),
        deployment.summary,
        deployment.public_input,
        deployment.use_policy,
    ]


def rows(queryset):
    """Lists of strings in the order of COLUMNS, one per (deployment, source)."""
    return export_rows(
        queryset,
        record_cells=deployment_cells,
        select_related=("agency", "technology", "vendor", "product"),
    )
