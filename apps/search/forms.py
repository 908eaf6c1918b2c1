"""The parameters of /search/: `q`, any of some kinds (`kind`) and regions (`region`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.filters import AnyOfField, LabelChoiceField, RegionField, RegistryFilterForm
from apps.records.search import indexed_kinds


def kind_choices():
    return [(kind.key, str(kind.plural).capitalize()) for kind in indexed_kinds()]


class SearchForm(RegistryFilterForm):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_(
            "Names (typos forgiven), places, identifiers such as an ORI, and any word "
            "of a summary or of a source's document."
        ),
    )
    kind = AnyOfField(
        label=_("Kind of record"),
        item=LabelChoiceField(choices=kind_choices),
        widget=forms.CheckboxSelectMultiple(choices=kind_choices),
    )
    region = RegionField(label=_("Region"), help_text=_("A code or a name, e.g. OR or Oregon."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.choices = kind_choices()
