import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.contracts.forms import RecordLinesField, agency_field
from apps.contracts.models import Nda
from apps.records.fields import SourceListField, record_number
from apps.records.forms import RecordForm, https_formfield, upper_code

from .models import RecordsRequest, ResponseDeadline, nda_binding_refusal

NDA_KEY_RE = re.compile(r"^(?:#?(?P<number>\d+)|\S*/ndas/(?P<in_address>\d+)/?)$")


def _describe_nda(nda):
    return f"#{nda.pk} {nda}"


class RecordsRequestForm(RecordForm):
    partial_dates = {"filed": "filed_date", "closed": "closed_date"}
    link_fields = ("ndas_cited", "released_documents")
    field_order = [
        "agency",
        "requester",
        "subject",
        "filed",
        "status",
        "closed",
        "exemptions",
        "ndas_cited",
        "outcome",
        "external_url",
        "released_documents",
    ]

    agency = agency_field(label=_("Agency asked"))
    ndas_cited = RecordLinesField(
        label=_("NDAs cited"),
        describe=_describe_nda,
        help_text=_(
            "One per line: the NDA's number as #123, or its address on this site. Each "
            "must bind the agency above. Leave empty if the agency cited none."
        ),
    )
    released_documents = SourceListField(
        label=_("Documents released"),
        help_text=_(
            "One per line, among the sources cited below: the web address or number "
            "(#123) of each document this request released. Add a released PDF as a source "
            "first, then list it here."
        ),
    )

    class Meta:
        model = RecordsRequest
        fields = [
            "agency",
            "requester",
            "subject",
            "status",
            "exemptions",
            "ndas_cited",
            "outcome",
            "external_url",
            "released_documents",
        ]
        formfield_callback = https_formfield
        widgets = {
            "subject": forms.TextInput(attrs={"size": 60}),
            "exemptions": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        if "ndas_cited" in cleaned:
            cleaned["ndas_cited"] = self._ndas(cleaned["ndas_cited"], cleaned.get("agency"))
        released = cleaned.get("released_documents") or []
        cited = cleaned.get("sources") or []
        strays = [source for source in released if source not in cited]
        if strays and "sources" not in self.errors:
            self.add_error(
                "released_documents",
                gettext(
                    "A released document is one of the request's sources: cite %(documents)s "
                    "among the sources too."
                )
                % {"documents": "; ".join(source.url or f"#{source.pk}" for source in strays)},
            )
        return cleaned

    def _ndas(self, lines, agency):
        """The NDAs the lines name; each must bind the agency (or be one it signed as the
        other side)."""
        ndas, problems = [], []
        for line in lines:
            key = NDA_KEY_RE.match(line.split()[0])
            number = record_number(key["number"] or key["in_address"]) if key else None
            nda = (
                self.linkable(Nda.objects.all()).select_related("agency").filter(pk=number).first()
                if number is not None
                else None
            )
            if key is None:
                problems.append(
                    gettext("“%(line)s” is not an NDA number: write it as #123.") % {"line": line}
                )
            elif nda is None:
                problems.append(
                    gettext("There is no NDA #%(number)s.")
                    % {"number": key["number"] or key["in_address"]}
                )
            elif agency is not None and (refusal := nda_binding_refusal(nda, agency)):
                problems.append(refusal)
            elif nda not in ndas:
                ndas.append(nda)
        if problems:
            self.add_error("ndas_cited", problems)
            return []
        return ndas


class ResponseDeadlineForm(RecordForm):
    class Meta:
        model = ResponseDeadline
        fields = ["country", "region", "days", "day_kind", "statute", "notes"]
        widgets = {
            "country": forms.TextInput(attrs={"size": 3, "autocomplete": "off"}),
            "region": forms.TextInput(attrs={"size": 4, "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_country(self):
        return upper_code(self.cleaned_data.get("country"))

    def clean_region(self):
        return upper_code(self.cleaned_data.get("region"))

    def validate_unique(self):
        """One deadline per jurisdiction: when it is taken, say what to do about the one
        there is (restore a withdrawn one, wait for a pending one), not only that it exists."""
        data = self.cleaned_data
        taken = (
            ResponseDeadline._base_manager.filter(
                country=data.get("country", ""), region=data.get("region", "")
            )
            .exclude(pk=self.instance.pk)
            .first()
        )
        if taken is None:
            super().validate_unique()
            return
        place = "-".join(filter(None, [taken.country, taken.region]))
        if taken.is_withdrawn:
            message = gettext(
                "The response deadline of %(place)s was withdrawn: a reviewer can restore it "
                "from its history page (and correct it there) instead of adding another."
            ) % {"place": place}
        elif taken.is_pending:
            message = gettext("A response deadline of %(place)s is already waiting for review.") % {
                "place": place
            }
        else:
            message = gettext("%(place)s already has a response deadline: edit that one.") % {
                "place": place
            }
        self.add_error("region" if taken.region else "country", message)
