"""Building blocks shared by every list's FilterSet.

Each list has one FilterSet (in its app's filters.py) used by the HTML page, the CSV and JSON
exports and, later, the API. Parameter names and values are readable and stable: slugs for
records, stored values for choices (`?technology=face-recognition&status=active`)."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import F

from .models import COUNTRY_CHOICES, YesNoUnknown


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """Picks a record by its slug; an unknown slug is a form error that names it."""

    def __init__(self, *args, noun, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("empty_label", "Any")
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": f"No {noun} has the identifier “%(value)s”."},
        )
        super().__init__(*args, **kwargs)


class SlugTextFilter(django_filters.ModelChoiceFilter):
    """Like SlugChoiceFilter but typed, not picked from a list: for kinds with too many
    records for a drop-down (agencies), usually set by following a link."""

    def __init__(self, *args, noun, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": f"{noun} identifier"}))
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": f"No {noun} has the identifier “%(value)s”."},
        )
        super().__init__(*args, **kwargs)


def country_filter(field_name):
    return django_filters.ChoiceFilter(
        field_name=field_name, choices=COUNTRY_CHOICES, label="Country"
    )


region_code_validator = RegexValidator(
    r"^[A-Za-z0-9]{1,3}$",
    "A region is a subdivision code of 1 to 3 letters or digits, e.g. OR for Oregon.",
)


def region_filter(field_name):
    return django_filters.CharFilter(
        field_name=field_name,
        lookup_expr="iexact",
        label="Region",
        validators=[region_code_validator],
        help_text="State or subdivision code, e.g. OR.",
    )


def tri_state_filter(label, field_name=None):
    return django_filters.ChoiceFilter(
        field_name=field_name, choices=YesNoUnknown.choices, label=label
    )


def year_filter(method, label="Active in year", help_text=""):
    return django_filters.NumberFilter(
        method=method,
        label=label,
        min_value=1900,
        max_value=2100,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 6}),
    )


class RegistryFilterSet(django_filters.FilterSet):
    """A FilterSet with a `sort` parameter.

    Subclasses set `sort_options = {"key": ("Label", "field", ...)}` and `default_sort`. A key
    starting with "-" sorts descending. Unknown dates sort last either way, and the primary
    key breaks ties.
    """

    sort_options: dict = {}
    default_sort = ""

    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=[], method="sort_queryset", empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["sort"].extra["choices"] = [
            (key, label) for key, (label, *_fields) in self.sort_options.items()
        ]

    def sort_queryset(self, queryset, name, value):
        return queryset  # Applied in filter_queryset so that the default applies too.

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        key = self.form.cleaned_data.get("sort") or self.default_sort
        return queryset.order_by(*self.ordering_for(key))

    def ordering_for(self, key):
        _label, *fields = self.sort_options.get(key, self.sort_options[self.default_sort])
        descending = key.startswith("-")
        ordering = []
        for field in fields:
            expression = F(field.lstrip("-"))
            field_descending = descending != field.startswith("-")
            ordering.append(
                expression.desc(nulls_last=True)
                if field_descending
                else expression.asc(nulls_last=True)
            )
        # Ties in creation order whichever way the list runs: pages never repeat or skip a
        # row, and an export re-imported elsewhere (ids given in file order) sorts alike.
        ordering.append(F("pk").asc())
        return ordering
