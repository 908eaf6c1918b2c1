from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.technologies.models import Technology

from .models import DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH, Tip

# The honeypot: a text input people never see (hidden by CSS, aria-hidden, out of the tab
# order) that simple spam robots fill in. Its name is one browsers do not autofill.
HONEYPOT_FIELD = "reference_code"


class TipForm(forms.ModelForm):
    technology = forms.ModelChoiceField(
        queryset=Technology.objects.order_by("name"),
        required=False,
        empty_label=_("Not sure, or not in this list"),
        label=_("Technology, if it is one of these"),
        help_text=_("Pick the closest kind, or leave it and describe it in your own words above."),
    )
    source_url = forms.URLField(
        label=_("Link to a source (optional, but it helps a lot)"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_(
            "A news story, a public document, a records release, a meeting agenda: "
            "anything a reviewer can check. Start with https://."
        ),
    )
    reference_code = forms.CharField(
        label=_("Leave this field empty: it is here to catch spam robots"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Tip
        fields = [
            "technology_text",
            "technology",
            "agency_name",
            "locality",
            "region",
            "when",
            "description",
            "source_url",
            "contact_email",
        ]
        labels = {
            "technology_text": _("What technology?"),
            "agency_name": _("Which agency?"),
            "locality": _("City or county"),
            "region": _("State or region"),
            "when": _("When?"),
            "description": _("What do you know?"),
            "contact_email": _("Your email address (optional, kept private)"),
        }
        help_texts = {
            "technology_text": _(
                "Required unless you pick one from the list below. In your own "
                "words, e.g. “face recognition”, “license plate cameras”, “a drone program”, "
                "or a product name."
            ),
            "agency_name": _("e.g. “Washington County Sheriff's Office” or “Springfield Police”."),
            "locality": _("Where the agency is."),
            "region": _("e.g. Oregon or OR."),
            "when": _("As precisely as you know: “2019”, “since May 2021”, “announced last week”."),
            "contact_email": _(
                "Only reviewers see it, to ask you a follow-up question. It is never published."
            ),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].widget.attrs.setdefault("autocomplete", "email")
        # Built per form, in the language of the request, the length grouped as it reads there.
        self.fields["description"].help_text = gettext(
            "What is used, by whom, how you know, and anything else that helps a researcher "
            "check it. Up to %(count)s characters."
        ) % {"count": number_format(DESCRIPTION_MAX_LENGTH, force_grouping=True)}

    def honeypot_filled(self):
        """True when the hidden field came back with anything in it (read from the raw data,
        so no validation runs for a robot)."""
        return bool(self.is_bound and self.data.get(HONEYPOT_FIELD, "").strip())

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("technology_text") and not cleaned_data.get("technology"):
            self.add_error(
                "technology_text",
                gettext(
                    "Say what technology it is, in your own words or by picking one from the list."
                ),
            )
        return cleaned_data

    def tip_data(self):
        """The cleaned values the Tip model stores (the honeypot left out)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TipCloseForm(forms.Form):
    """The reviewer's optional note when marking a tip handled or dismissing it."""

    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you did with the tip, or why you dismissed it."),
    )
