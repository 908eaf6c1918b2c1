from django import forms
from django.utils.translation import gettext_lazy as _

from apps.contracts.forms import (
    RecordLinesField,
    agency_field,
    describe_by_number,
    records_by_number,
)
from apps.contracts.models import Contract
from apps.deployments.models import Deployment
from apps.records.forms import RecordForm, https_formfield

from .models import TALLY_FIELDS, OversightEvent


class OversightEventForm(RecordForm):
    """An event, or a finding of no public process. Deployments and contracts of any agency
    may be linked (a county board decides on its sheriff's contract; a state ban concerns
    every city's deployments): nothing checks whose they are."""

    partial_dates = {"date": "occurred_date"}
    link_fields = ("deployments", "contracts")
    field_order = [
        "kind",
        "agency",
        "date",
        "summary",
        "outcome",
        "outcome_summary",
        *TALLY_FIELDS,
        "public_comment",
        "deployments",
        "contracts",
    ]

    agency = agency_field(
        label=_("Agency or governing body"),
        help_text=_(
            "Who held it: a city council, a county board, the agency itself. For a "
            "finding, the agency whose process was searched. Start typing its name."
        ),
    )
    deployments = RecordLinesField(
        label=_("Deployments it concerns"),
        describe=describe_by_number,
        help_text=_(
            "One per line: the deployment's number as #123, or its address on this site. Optional."
        ),
    )
    contracts = RecordLinesField(
        label=_("Contracts it concerns"),
        describe=describe_by_number,
        help_text=_(
            "One per line: the contract's number as #123, or its address on this site. Optional."
        ),
    )

    class Meta:
        model = OversightEvent
        fields = [
            "kind",
            "agency",
            "summary",
            "outcome",
            "outcome_summary",
            *TALLY_FIELDS,
            "public_comment",
            "deployments",
            "contracts",
        ]
        formfield_callback = https_formfield
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "outcome_summary": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        for name, model in (("deployments", Deployment), ("contracts", Contract)):
            if name in cleaned:
                cleaned[name] = self._linked(name, model, cleaned[name])
        return cleaned

    def _linked(self, name, model, lines):
        noun = model._meta.verbose_name
        records, problems = records_by_number(
            lines, self.linkable(model.objects.select_related("agency")), noun=noun
        )
        if problems:
            self.add_error(name, problems)
            return []
        return records
