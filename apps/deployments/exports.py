"""How deployments are exported: one CSV row (the columns in csv_format.py, which the import
reads back) and one JSON object per deployment."""

from django.db.models import Prefetch

from apps.contracts.models import Contract, Nda
from apps.core.exports import (
    RecordExport,
    join_list,
    ordered_sources,
    partial_date_json,
    source_json,
    source_list_cells,
)
from apps.core.importing import agency_cells
from apps.vendors.models import Vendor

from . import csv_format
from .models import NDA_COVERING_VENDOR_PATHS


def covering_ndas(deployments):
    """{deployment id: [ids of the published NDAs that cover it]} for `deployments`, in two
    queries.

    The rule is NDA_COVERING_VENDOR_PATHS (Nda.objects.covering reads it for the list marker
    and the deployment page; this reads it in bulk for a chunk of rows): the NDA
    binds the deployment's agency and its counterparty is the deployment's vendor or a
    company above it, up to two levels. An NDA with another agency covers nothing here.
    """
    with_vendor = [deployment for deployment in deployments if deployment.vendor_id]
    if not with_vendor:
        return {}
    parents = dict(Vendor.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
    lines = {d.pk: _line_above(d.vendor_id, parents) for d in with_vendor}
    found = {}
    ndas = Nda.objects.published().filter(
        agency__in={deployment.agency_id for deployment in with_vendor},
        counterparty_vendor__in=set().union(*lines.values()),
    )
    for pk, agency_id, vendor_id in ndas.values_list("pk", "agency_id", "counterparty_vendor_id"):
        found.setdefault((agency_id, vendor_id), []).append(pk)
    return {
        deployment.pk: sorted(
            pk
            for vendor_id in lines[deployment.pk]
            for pk in found.get((deployment.agency_id, vendor_id), ())
        )
        for deployment in with_vendor
    }


def _line_above(vendor_id, parents):
    """The vendor and the companies above it that an NDA reaches, from a {vendor id: parent
    id} map."""
    line = [vendor_id]
    while (
        len(line) < len(NDA_COVERING_VENDOR_PATHS)
        and parents.get(line[-1])
        and parents[line[-1]] not in line
    ):
        line.append(parents[line[-1]])
    return line


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
            **source_list_cells(ordered_sources(deployment)),
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
            "sources": [source_json(source) for source in ordered_sources(deployment)],
            "updated_at": deployment.updated_at,
        }
