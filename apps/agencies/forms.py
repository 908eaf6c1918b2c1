from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.places import region_code, resolve_country
from apps.records.fields import RecordChoiceField, record_label
from apps.records.forms import (
    AliasesFormMixin,
    RecordForm,
    https_formfield,
    upper_code,
)

from .models import Agency

COORDINATE_PLACES = Decimal("0.000001")


class CoordinateField(forms.DecimalField):
    """Degrees as a number input; a position pasted from a map with more decimals than the
    six stored (about 10 cm) is rounded rather than refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 6)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": "any"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        if not value.is_finite():  # Infinity, NaN: refused before rounding, which fails
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return value.quantize(COORDINATE_PLACES)
        except InvalidOperation:
            return value  # too many digits to round (1e400): the range check refuses it


class AgencyForm(AliasesFormMixin, RecordForm):
    parent = RecordChoiceField(
        queryset=Agency.objects.all(),
        autocomplete="agencies",
        noun="agency",
        required=False,
        label=_("Part of"),
        help_text=_(
            "The body this agency belongs to, e.g. a police department's city. "
            "Start typing its name; leave empty if none."
        ),
    )
    # Longer than the codes stored: a name (United States, Ciudad de México) or a full code
    # (US-OR) is typed as often as the code, and is resolved to it in clean_*.
    country = forms.CharField(
        max_length=100,
        help_text=_("A code or a name, e.g. US, CA, GB or United States."),
        widget=forms.TextInput(attrs={"size": 14, "autocomplete": "off"}),
    )
    region = forms.CharField(
        max_length=100,
        required=False,
        help_text=_(
            "State, province or other subdivision: a code or a name, e.g. OR, US-OR or "
            "Oregon. Leave empty for a national body."
        ),
        widget=forms.TextInput(attrs={"size": 14, "autocomplete": "off"}),
    )
    latitude = CoordinateField(
        min_value=-90,
        max_value=90,
        help_text=_(
            "Where the agency is, for the map: degrees north, e.g. 45.522894. "
            "Leave both empty if unknown."
        ),
    )
    longitude = CoordinateField(
        min_value=-180,
        max_value=180,
        help_text=_("Degrees east; negative in the Americas, e.g. -122.989827."),
    )

    class Meta:
        model = Agency
        # "aliases" is the form's own field (the other names), listed here for its place.
        fields = [
            "name",
            "aliases",
            "kind",
            "jurisdiction_level",
            "country",
            "region",
            "locality",
            "parent",
            "website",
            "ori",
            "ocd_division_id",
            "latitude",
            "longitude",
            "description",
        ]
        formfield_callback = https_formfield
        labels = {
            "kind": _("Kind of agency"),
            "ori": _("FBI ORI code"),
            "ocd_division_id": _("Open Civic Data division id"),
        }
        help_texts = {
            "ori": _("9 characters from the FBI's list, e.g. OR0340000. Leave empty if unknown."),
        }
        widgets = {
            "ori": forms.TextInput(attrs={"size": 10, "autocomplete": "off"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_country(self):
        return resolve_country(self.cleaned_data.get("country", ""))

    def clean_region(self):
        region = self.cleaned_data.get("region", "")
        if "country" not in self.cleaned_data:
            # A region is looked for in its country, so the country's error says it all; not
            # kept, or the model would check it against the previous country. The form still
            # shows what was typed.
            return ""
        return region_code(region, self.cleaned_data["country"])

    def clean_ori(self):
        ori = upper_code(self.cleaned_data.get("ori"))
        if ori:
            other = Agency.objects.filter(ori=ori).exclude(pk=self.instance.pk).first()
            if other is not None and not self.linkable(Agency.objects.filter(pk=other.pk)):
                # Someone's unreviewed (or a withdrawn) agency: said without its name.
                raise ValidationError(
                    gettext(
                        "An agency with the ORI %(ori)s is already recorded and not public: an "
                        "ORI belongs to one agency, so check the code, or ask a reviewer."
                    )
                    % {"ori": ori}
                )
            if other is not None:
                state = "" if other.is_published else f" ({other.get_visibility_display()})"
                raise ValidationError(
                    gettext(
                        "%(agency)s already has the ORI %(ori)s. An ORI belongs to one agency: "
                        "check the code, or edit that agency instead."
                    )
                    % {"agency": f"{record_label(other)}{state}", "ori": ori}
                )
        return ori

    def slug_parts(self):
        return (self.cleaned_data["name"], self.cleaned_data.get("region"))
