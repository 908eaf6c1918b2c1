"""What merging two agencies adds to the shared merge (apps/records/merging.py)."""

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.records.merging import MergeRules


def _conflicts(duplicate, survivor):
    # An NDA between the two would become an NDA of the agency with itself.
    nda_model = type(duplicate).ndas.rel.related_model
    between = nda_model.objects.filter(
        Q(agency=duplicate, counterparty_agency=survivor)
        | Q(agency=survivor, counterparty_agency=duplicate)
    ).order_by("pk")
    return [
        gettext(
            "%(nda)s (NDA #%(number)s) is between the two agencies: after the merge the agency "
            "would have an NDA with itself. Edit or withdraw that NDA first."
        )
        % {"nda": nda, "number": nda.pk}
        for nda in between
    ]


AGENCY_MERGE_RULES = MergeRules(
    labels={
        ("deployments.deployment", "agency"): _("Deployments"),
        ("contracts.contract", "agency"): _("Contracts"),
        ("contracts.nda", "agency"): _("NDAs it signed"),
        ("contracts.nda", "counterparty_agency"): _("NDAs with it as the other party"),
        ("agencies.agency", "parent"): _("Agencies that belong to it"),
        ("records_requests.recordsrequest", "agency"): _("Records requests to it"),
        ("oversight.oversightevent", "agency"): _("Oversight events it held"),
    },
    conflicts=_conflicts,
)
