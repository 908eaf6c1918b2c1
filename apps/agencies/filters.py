from django.db.models import Exists, F, OuterRef
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.core.filters import (
    RegionFilter,
    RegistryFilterSet,
    SearchFilter,
    choice_filter,
    country_filter,
    record_filter,
)
from apps.deployments.models import Deployment
from apps.technologies.models import Technology
from apps.vendors.filters import VendorFamilyFilter, family_ids

from .models import Agency, AgencyAlias, AgencyKind, JurisdictionLevel
from .regions import agency_region_options
from .transparency import SORT_FIGURES


class AgencyFilter(RegistryFilterSet):
    """?country=US&region=OR&kind=sheriff&technology=face-recognition&vendor=<slug>&q=<words>"""

    q = SearchFilter(
        fields=("name", "locality", "ori"),
        related=((AgencyAlias.objects.all(), "agency", "name"),),
        help_text=_(
            "Words in the name, another name, the locality, the ORI, the kind or the description."
        ),
    )
    country = country_filter("country")
    region = RegionFilter(options=agency_region_options)
    kind = choice_filter(AgencyKind.choices, _("Kind"), field_name="kind")
    jurisdiction_level = choice_filter(
        JurisdictionLevel.choices, _("Jurisdiction"), field_name="jurisdiction_level"
    )
    technology = record_filter(
        Technology.objects.all(),
        "technology",
        _("Uses technology"),
        method="filter_technology",
        widget_kind="select",
    )
    vendor = VendorFamilyFilter(label=_("Uses vendor"), method="filter_vendor")

    sort_options = {
        "name": (_("Name A–Z"), "name"),
        "-name": (_("Name Z–A"), "name"),
        "region": (_("Region"), "country", "region", "name"),
        "-updated": (_("Recently updated"), "updated_at"),
    }
    default_sort = "name"

    class Meta:
        model = Agency
        fields = []

    # Exists() rather than a join, so that an agency with many matching deployments is
    # listed once and the count stays cheap.
    def filter_technology(self, queryset, name, technologies):
        uses = Deployment.objects.published().filter(
            agency=OuterRef("pk"), technology__in=technologies
        )
        return queryset.filter(Exists(uses))

    def filter_vendor(self, queryset, name, vendors):
        uses = Deployment.objects.published().filter(
            agency=OuterRef("pk"), vendor__in=family_ids(vendors)
        )
        return queryset.filter(Exists(uses))


BY_NAME = F("name").asc()


class TransparencyFilter(AgencyFilter):
    """The transparency list's filters: the agency list's (country, region, kind...), and a
    sort by name, place or any figure (`sort=-public_process`: the most public first).

    The database orders by name; a figure's sort is applied in Python by the selector
    (transparency.sort_rows), since the figures come from the cache, not from the query."""

    sort_options = {
        "name": (_("Name A–Z"), "name"),
        "region": (_("Region"), "country", "region", "name"),
        **{
            # An expression keeps its own direction: name order under a "-" key too.
            f"{direction}{key}": (format_lazy("{}: {}", label, words), BY_NAME)
            for key, (label, _value) in SORT_FIGURES.items()
            for direction, words in (("-", _("most first")), ("", _("fewest first")))
        },
    }
    default_sort = "name"

    @property
    def figure_sort(self):
        """The figure key to sort by ("-public_process"), or None for name or region."""
        key = self.form.cleaned_data.get("sort") or self.default_sort
        return key if key.lstrip("-") in SORT_FIGURES else None
