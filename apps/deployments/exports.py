"""How deployments are exported: one CSV row (the columns in csv_format.py, which the import
reads back) and one JSON object per deployment."""

from django.db.models import OuterRef, Prefetch

from apps.contracts.models import Contract, Nda
from apps.core.export_sql import (
    SourceListCells,
    SourceListJson,
    agency_sql_cells,
    date_json,
    id_list_cell,
    id_list_json,
    json_object,
    partial_date_cell,
    partial_date_object,
    plain_cell,
    text_cell,
    timestamp_json,
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

from . import csv_format
from .models import Deployment


def covering_ndas(deployments):
    """{deployment id: [ids of the published NDAs that cover it]} for `deployments`, in one
    query, by the rule the list's marker and the deployment page read too
    (Nda.objects.covering_each / covering)."""
    found = {}
    pairs = Nda.objects.published().covering_each([deployment.pk for deployment in deployments])
    for deployment_id, nda_id in pairs.order_by("pk"):
        found.setdefault(deployment_id, []).append(nda_id)
    return found


class DeploymentExport(RecordExport):
    columns = csv_format.COLUMNS

    def prepare(self, queryset):
        # The list's queryset (with_related()) already prefetches the published sources.
        return queryset.prefetch_related(
            Prefetch(
                "contracts",
                queryset=Contract.objects.published().only("pk").order_by("pk"),
                to_attr="published_contracts",
            )
        )

    def sql_cells(self):
        # The columns of cells(), in the order of csv_format.COLUMNS.
        return [
            plain_cell("pk"),
            url_cell(self.urls, "deployments:detail"),
            *agency_sql_cells(with_coordinates=True),
            text_cell("technology__name"),
            text_cell("vendor__name"),
            text_cell("vendor__slug"),
            text_cell("product__name"),
            text_cell("status"),
            partial_date_cell("start"),
            partial_date_cell("end"),
            text_cell("summary"),
            text_cell("public_input"),
            text_cell("use_policy"),
            id_list_cell(Contract.objects.published().filter(deployments=OuterRef("pk"))),
            id_list_cell(Nda.objects.published().covering(OuterRef("pk"))),
            SourceListCells(Deployment),
        ]

    def sql_json(self):
        # The keys and values of json(), in its order.
        return json_object(
            id="pk",
            url=url_cell(self.urls, "deployments:detail"),
            agency=json_object(
                **{name: f"agency__{name}" for name in ("name", "slug", "kind", "country")},
                **{name: f"agency__{name}" for name in ("region", "locality", "ori")},
            ),
            technology="technology__slug",
            vendor="vendor__slug",
            product="product__slug",
            status="status",
            start=partial_date_object("start"),
            end=partial_date_object("end"),
            **{name: name for name in ("summary", "public_input", "use_policy", "data_sharing")},
            last_verified=date_json("last_verified"),
            contracts=id_list_json(Contract.objects.published().filter(deployments=OuterRef("pk"))),
            ndas=id_list_json(Nda.objects.published().covering(OuterRef("pk"))),
            sources=SourceListJson(Deployment),
            updated_at=timestamp_json("updated_at", self.utc_suffix),
        )

    def load_chunk(self, records):
        self._ndas = covering_ndas(records)

    def _links(self, deployment):
        contracts = [contract.pk for contract in deployment.published_contracts]
        return contracts, self._ndas.get(deployment.pk, [])

    def cells(self, deployment):
        contracts, ndas = self._links(deployment)
        return {
            "id": deployment.pk,
            "url": self.url(deployment),
            **agency_cells(deployment.agency, with_coordinates=True),
            "technology": deployment.technology.name,
            "vendor": deployment.vendor.name if deployment.vendor_id else "",
            "vendor_slug": deployment.vendor.slug if deployment.vendor_id else "",
            "product": deployment.product.name if deployment.product_id else "",
            "status": deployment.status,
            "start_date": deployment.start,
            "end_date": deployment.end,
            "summary": deployment.summary,
            "public_input": deployment.public_input,
            "use_policy": deployment.use_policy,
            "contract_ids": join_list(contracts),
            "nda_ids": join_list(ndas),
            **citation_list_cells(ordered_citations(deployment)),
        }

    def json(self, deployment):
        agency = deployment.agency
        contracts, ndas = self._links(deployment)
        return {
            "id": deployment.pk,
            "url": self.url(deployment),
            "agency": {
                "name": agency.name,
                "slug": agency.slug,
                "kind": agency.kind,
                "country": agency.country,
                "region": agency.region,
                "locality": agency.locality,
                "ori": agency.ori,
            },
            "technology": deployment.technology.slug,
            "vendor": deployment.vendor.slug if deployment.vendor_id else None,
            "product": deployment.product.slug if deployment.product_id else None,
            "status": deployment.status,
            "start": partial_date_json(deployment.start),
            "end": partial_date_json(deployment.end),
            "summary": deployment.summary,
            "public_input": deployment.public_input,
            "use_policy": deployment.use_policy,
            "data_sharing": deployment.data_sharing,
            "last_verified": deployment.last_verified,
            "contracts": contracts,
            "ndas": ndas,
            "sources": [citation_json(citation) for citation in ordered_citations(deployment)],
            "updated_at": deployment.updated_at,
        }
