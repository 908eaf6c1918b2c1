"""What merging two agencies adds to the shared merge (apps/records/merging.py)."""

from django.db.models import Q

from apps.records.merging import MergeRules


def _conflicts(duplicate, survivor):
    # An NDA between the two would become an NDA of the agency with itself.
    nda_model = type(duplicate).ndas.rel.related_model
    between = nda_model.objects.filter(
        Q(agency=duplicate, counterparty_agency=survivor)
        | Q(agency=survivor, counterparty_agency=duplicate)
    ).order_by("pk")
    return [
        f"{nda} (NDA #{nda.pk}) is between the two agencies: after the merge the agency would "
        f"have an NDA with itself. Edit or withdraw that NDA first."
        for nda in between
    ]


AGENCY_MERGE_RULES = MergeRules(
    labels={
        ("deployments.deployment", "agency"): "Deployments",
        ("contracts.contract", "agency"): "Contracts",
        ("contracts.nda", "agency"): "NDAs it signed",
        ("contracts.nda", "counterparty_agency"): "NDAs with it as the other party",
        ("agencies.agency", "parent"): "Agencies that belong to it",
        ("records_requests.recordsrequest", "agency"): "Records requests to it",
        ("oversight.oversightevent", "agency"): "Oversight events it held",
    },
    conflicts=_conflicts,
)
