"""The CSV form of contracts: the columns the import reads and the export writes.

`rows(queryset)` writes one row per (contract, source); `import_data contracts` reads them
back (docs/import.md). NDAs are in nda_csv_format.py.
"""

from apps.core.importing import (
    AGENCY_COLUMNS,
    SOURCE_COLUMNS,
    agency_cells,
    export_rows,
    text_or_empty,
)

COLUMNS = [
    *AGENCY_COLUMNS,
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
    *SOURCE_COLUMNS,
]

# Product names in one cell; the names are sorted so that the cell does not depend on ids.
PRODUCT_SEPARATOR = ";"


def contract_cells(contract):
    """The contract's cells before the source columns."""
    products = sorted(product.name for product in contract.products.all())
    return [
        *agency_cells(contract.agency, with_coordinates=False),
        contract.vendor.name,
        f"{PRODUCT_SEPARATOR} ".join(products),
        contract.title,
        contract.identifier,
        contract.procurement_method,
        text_or_empty(contract.amount),
        contract.currency,
        text_or_empty(contract.signed),
        text_or_empty(contract.start),
        text_or_empty(contract.end),
        contract.funding_source,
        contract.summary,
    ]


def rows(queryset):
    """Lists of strings in the order of COLUMNS, one per (contract, source)."""
    return export_rows(
        queryset,
        record_cells=contract_cells,
        select_related=("agency", "vendor"),
        prefetch_related=("products",),
    )
