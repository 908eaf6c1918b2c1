import django_filters

from apps.agencies.models import Agency, AgencyKind
from apps.core.filters import (
    RegistryFilterSet,
    SlugChoiceFilter,
    SlugTextFilter,
    country_filter,
    region_filter,
    tri_state_filter,
    year_filter,
)
from apps.technologies.models import Technology
from apps.vendors.filters import VendorFamilyFilter
from apps.vendors.models import Product

from .models import Deployment, DeploymentStatus


class DeploymentFilter(RegistryFilterSet):
    """?country=US&region=OR&technology=face-recognition&vendor=<slug>&status=active&year=2018"""

    country = country_filter("agency__country")
    region = region_filter("agency__region")
    agency = SlugTextFilter(queryset=Agency.objects.published(), noun="agency")
    agency_kind = django_filters.ChoiceFilter(
        field_name="agency__kind", choices=AgencyKind.choices, label="Agency kind"
    )
    technology = SlugChoiceFilter(queryset=Technology.objects.all(), noun="technology")
    vendor = VendorFamilyFilter()
    product = SlugTextFilter(queryset=Product.objects.published(), noun="product")
    status = django_filters.ChoiceFilter(choices=DeploymentStatus.choices)
    year = year_filter("filter_active_in_year", help_text="In use at some time that year.")
    public_input = tri_state_filter("Public input")
    use_policy = tri_state_filter("Use policy")

    sort_options = {
        "-start": ("Newest first", "start_date"),
        "start": ("Oldest first", "start_date"),
        "agency": ("Agency A–Z", "agency__name"),
        "-agency": ("Agency Z–A", "agency__name"),
        "technology": ("Technology", "technology__name", "agency__name"),
        "status": ("Status", "status", "agency__name"),
        "-updated": ("Recently updated", "updated_at"),
    }
    default_sort = "-start"

    class Meta:
        model = Deployment
        fields = []

    def filter_active_in_year(self, queryset, name, value):
        return queryset.active_in_year(int(value))
