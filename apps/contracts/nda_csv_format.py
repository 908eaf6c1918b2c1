"""The CSV form of NDAs: the columns the import reads and the export writes.

`rows(queryset)` writes one row per (NDA, source); `import_data ndas` reads them back
(docs/import.md). The counterparty is a vendor or an agency: one of the two columns is set.
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
    "counterparty_vendor",
    "counterparty_agency",
    "counterparty_agency_region",
    "signed_date",
    "signatory",
    "scope",
    "term",
    "cited_to_withhold",
    *SOURCE_COLUMNS,
]


def nda_cells(nda):
    """The NDA's cells before the source columns."""
    vendor, agency = nda.counterparty_vendor, nda.counterparty_agency
    return [
        *agency_cells(nda.agency, with_coordinates=False),
        vendor.name if vendor else "",
        agency.name if agency else "",
        agency.region if agency else "",
        text_or_empty(nda.signed),
        nda.signatory,
        nda.scope,
        nda.term,
        nda.cited_to_withhold,
    ]


def rows(queryset):
    """Lists of strings in the order of COLUMNS, one per (NDA, source)."""
    return export_rows(
        queryset,
        record_cells=nda_cells,
        select_related=("agency", "counterparty_vendor", "counterparty_agency"),
    )
