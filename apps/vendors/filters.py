import django_filters
from django.db.models import Exists, OuterRef

from apps.core.filters import RegistryFilterSet, SlugChoiceFilter, country_filter
from apps.deployments.models import Deployment
from apps.technologies.models import Technology

from .models import Product, Vendor


class VendorFamilyFilter(SlugChoiceFilter):
    """A vendor by slug, matching records of the vendor and of its subsidiaries."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Vendor.objects.published())
        kwargs.setdefault("noun", "vendor")
        kwargs.setdefault("help_text", "Includes its subsidiaries.")
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(**{f"{self.field_name}__in": value.family_ids()})


class VendorFilter(RegistryFilterSet):
    """?technology=face-recognition&country=US&region=OR (agencies using it in that region)"""

    technology = SlugChoiceFilter(
        queryset=Technology.objects.all(),
        noun="technology",
        method="filter_technology",
        label="Sells technology",
    )
    country = country_filter("country")
    customer_region = django_filters.CharFilter(
        method="filter_customer_region",
        label="Has customers in region",
        help_text="State or subdivision code, e.g. OR.",
        max_length=3,
    )

    sort_options = {
        "name": ("Name A–Z", "name"),
        "-name": ("Name Z–A", "name"),
        "-updated": ("Recently updated", "updated_at"),
    }
    default_sort = "name"

    class Meta:
        model = Vendor
        fields = []

    def filter_technology(self, queryset, name, value):
        sells = Product.objects.published().filter(vendor=OuterRef("pk"), technologies=value)
        deployed = Deployment.objects.published().filter(vendor=OuterRef("pk"), technology=value)
        return queryset.filter(Exists(sells) | Exists(deployed))

    def filter_customer_region(self, queryset, name, value):
        customers = Deployment.objects.published().filter(
            vendor=OuterRef("pk"), agency__region__iexact=value
        )
        return queryset.filter(Exists(customers))


class ProductFilter(RegistryFilterSet):
    """?vendor=<slug>&technology=face-recognition"""

    vendor = VendorFamilyFilter()
    technology = SlugChoiceFilter(
        queryset=Technology.objects.all(), noun="technology", field_name="technologies"
    )

    sort_options = {
        "name": ("Name A–Z", "name"),
        "vendor": ("Vendor", "vendor__name", "name"),
        "-updated": ("Recently updated", "updated_at"),
    }
    default_sort = "vendor"

    class Meta:
        model = Product
        fields = []
