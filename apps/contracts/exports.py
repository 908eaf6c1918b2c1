"""How contracts and NDAs are exported: one CSV row (the columns in csv_format.py and
nda_csv_format.py, which the import reads back) and one JSON object per record."""

from django.db.models import OuterRef, Prefetch

from apps.core.export_sql import (
    SortedNamesCell,
    SourceListCells,
    agency_sql_cells,
    id_list_cell,
    partial_date_cell,
    plain_cell,
    text_cell,
    url_cell,
)
from apps.core.exports import (
    RecordExport,
    agency_cells,
    citation_json,
    citation_list_cells,
    join_list,
    ordered_citations,
    partial_date_json,
)
from apps.deployments.models import Deployment

from . import csv_format, nda_csv_format
from .models import Contract


def agency_ref(agency):
    return {"name": agency.name, "slug": agency.slug, "region": agency.region}


def published_products(contract):
    # Filtered here: with_related() prefetches every product, and an unpublished one is not
    # public.
    return [product for product in contract.products.all() if product.is_published]


class ContractExport(RecordExport):
    columns = csv_format.COLUMNS

    def prepare(self, queryset):
        return queryset.prefetch_related(
            Prefetch(
                "deployments",
                queryset=Deployment.objects.published().only("pk").order_by("pk"),
                to_attr="published_deployments",
            )
        )

    def sql_cells(self):
        # The columns of cells(), in the order of csv_format.COLUMNS.
        return [
            plain_cell("pk"),
            url_cell(self.urls, "contracts:detail"),
            *agency_sql_cells(with_coordinates=False),
            text_cell("vendor__name"),
            text_cell("vendor__slug"),
            SortedNamesCell(Contract, "products", f"{csv_format.PRODUCT_SEPARATOR} "),
            *(text_cell(name) for name in ("title", "identifier", "procurement_method")),
            plain_cell("amount"),
            text_cell("currency"),
            *(partial_date_cell(name) for name in ("signed", "start", "end")),
            text_cell("funding_source"),
            text_cell("summary"),
            id_list_cell(Deployment.objects.published().filter(contracts=OuterRef("pk"))),
            SourceListCells(Contract),
        ]

    @staticmethod
    def deployment_ids(contract):
        return [deployment.pk for deployment in contract.published_deployments]

    def cells(self, contract):
        # Sorted by name so that the cell does not depend on ids.
        products = sorted(product.name for product in published_products(contract))
        return {
            "id": contract.pk,
            "url": self.url(contract),
            **agency_cells(contract.agency, with_coordinates=False),
            "vendor": contract.vendor.name,
            "vendor_slug": contract.vendor.slug,
            "products": f"{csv_format.PRODUCT_SEPARATOR} ".join(products),
            "title": contract.title,
            "identifier": contract.identifier,
            "procurement_method": contract.procurement_method,
            "amount": contract.amount,
            "currency": contract.currency,
            "signed_date": contract.signed,
            "start_date": contract.start,
            "end_date": contract.end,
            "funding_source": contract.funding_source,
            "summary": contract.summary,
            "deployment_ids": join_list(self.deployment_ids(contract)),
            **citation_list_cells(ordered_citations(contract)),
        }

    def json(self, contract):
        return {
            "id": contract.pk,
            "url": self.url(contract),
            "title": contract.title,
            "identifier": contract.identifier,
            "agency": agency_ref(contract.agency),
            "vendor": {"name": contract.vendor.name, "slug": contract.vendor.slug},
            "products": [product.slug for product in published_products(contract)],
            "procurement_method": contract.procurement_method,
            "amount": contract.amount,
            "currency": contract.currency,
            "signed": partial_date_json(contract.signed),
            "start": partial_date_json(contract.start),
            "end": partial_date_json(contract.end),
            "funding_source": contract.funding_source,
            "summary": contract.summary,
            "deployments": self.deployment_ids(contract),
            "sources": [citation_json(citation) for citation in ordered_citations(contract)],
            "updated_at": contract.updated_at,
        }


class NdaExport(RecordExport):
    columns = nda_csv_format.COLUMNS

    def cells(self, nda):
        vendor, agency = nda.counterparty_vendor, nda.counterparty_agency
        return {
            "id": nda.pk,
            "url": self.url(nda),
            **agency_cells(nda.agency, with_coordinates=False),
            "counterparty_vendor": vendor.name if vendor else "",
            "counterparty_agency": agency.name if agency else "",
            "counterparty_agency_region": agency.region if agency else "",
            "counterparty_slug": nda.counterparty.slug,
            "signed_date": nda.signed,
            "signatory": nda.signatory,
            "scope": nda.scope,
            "term": nda.term,
            "cited_to_withhold": nda.cited_to_withhold,
            **citation_list_cells(ordered_citations(nda)),
        }

    def json(self, nda):
        counterparty = nda.counterparty
        return {
            "id": nda.pk,
            "url": self.url(nda),
            "agency": agency_ref(nda.agency),
            "counterparty": {
                "kind": "vendor" if nda.counterparty_vendor_id else "agency",
                "name": counterparty.name,
                "slug": counterparty.slug,
            },
            "signed": partial_date_json(nda.signed),
            "signatory": nda.signatory,
            "scope": nda.scope,
            "term": nda.term,
            "cited_to_withhold": nda.cited_to_withhold,
            "sources": [citation_json(citation) for citation in ordered_citations(nda)],
            "updated_at": nda.updated_at,
        }
