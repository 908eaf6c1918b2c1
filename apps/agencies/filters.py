import django_filters
from django.db.models import Exists, OuterRef

from apps.core.filters import (
    RegistryFilterSet,
    SlugChoiceFilter,
    country_filter,
    region_filter,
)
from apps.deployments.models import Deployment
from apps.technologies.models import Technology
from apps.vendors.models import Vendor

from .models import Agency, AgencyKind, JurisdictionLevel


class AgencyFilter(RegistryFilterSet):
    """?country=US&region=OR&kind=sheriff&technology=face-recognition&vendor=<slug>"""

    country = country_filter("country")
    region = region_filter("region")
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices, label="Kind")
    jurisdiction_level = django_filters.ChoiceFilter(
        choices=JurisdictionLevel.choices, label="Jurisdiction"
    )
    technology = SlugChoiceFilter(
        queryset=Technology.objects.all(),
        noun="technology",
        method="filter_technology",
        label="Uses technology",
    )
    vendor = SlugChoiceFilter(
        queryset=Vendor.objects.published(),
        noun="vendor",
        method="filter_vendor",
        label="Uses vendor",
        help_text="Includes its subsidiaries.",
    )

    sort_options = {
        "name": ("Name A–Z", "name"),
        "-name": ("Name Z–A", "name"),
        "region": ("Region", "country", "region", "name"),
        "-updated": ("Recently updated", "updated_at"),
    }
    default_sort = "name"

    class Meta:
        model = Agency
        fields = []

    # Exists() rather than a join, so that an agency with many matching deployments is
    # listed once and the count stays cheap.
    def filter_technology(self, queryset, name, value):
        uses = Deployment.objects.published().filter(agency=OuterRef("pk"), technology=value)
        return queryset.filter(Exists(uses))

    def filter_vendor(self, queryset, name, value):
        uses = Deployment.objects.published().filter(
            agency=OuterRef("pk"), vendor__in=value.family_ids()
        )
        return queryset.filter(Exists(uses))
