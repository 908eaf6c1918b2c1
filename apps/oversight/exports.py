"""How oversight events are exported: one CSV row (csv_format.COLUMNS) and one JSON object
per event, with the ids of the published deployments and contracts it concerns."""

from django.db.models import Prefetch

from apps.contracts.exports import agency_ref
from apps.contracts.models import Contract
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

from . import csv_format
from .models import TALLY_FIELDS


def _published_ids(relation, model):
    return Prefetch(
        relation,
        queryset=model.objects.published().only("pk").order_by("pk"),
        to_attr=f"published_{relation}",
    )


class OversightEventExport(RecordExport):
    columns = csv_format.COLUMNS

    def prepare(self, queryset):
        return queryset.prefetch_related(
            _published_ids("deployments", Deployment), _published_ids("contracts", Contract)
        )

    @staticmethod
    def linked_ids(event):
        return (
            [deployment.pk for deployment in event.published_deployments],
            [contract.pk for contract in event.published_contracts],
        )

    def cells(self, event):
        deployment_ids, contract_ids = self.linked_ids(event)
        return {
            "id": event.pk,
            "url": self.url(event),
            "kind": event.kind,
            **agency_cells(event.agency, with_coordinates=False),
            "date": event.occurred,
            "summary": event.summary,
            "outcome": event.outcome,
            "outcome_summary": event.outcome_summary,
            **{name: getattr(event, name) for name in TALLY_FIELDS},
            "public_comment": event.public_comment,
            "deployment_ids": join_list(deployment_ids),
            "contract_ids": join_list(contract_ids),
            **citation_list_cells(ordered_citations(event)),
        }

    def json(self, event):
        deployment_ids, contract_ids = self.linked_ids(event)
        return {
            "id": event.pk,
            "url": self.url(event),
            "kind": event.kind,
            "agency": agency_ref(event.agency),
            "date": partial_date_json(event.occurred),
            "summary": event.summary,
            "outcome": event.outcome,
            "outcome_summary": event.outcome_summary,
            "vote_tally": (
                {name: getattr(event, name) for name in TALLY_FIELDS} if event.is_vote else None
            ),
            "public_comment": event.public_comment,
            "deployments": deployment_ids,
            "contracts": contract_ids,
            "sources": [citation_json(citation) for citation in ordered_citations(event)],
            "updated_at": event.updated_at,
        }
