from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from apps.agencies.regions import agency_region_options
from apps.core.filters import (
    AnyOfFilter,
    AnyOfWidget,
    RecordItemField,
    RegionFilter,
    RegistryFilterSet,
    SearchFilter,
    country_filter,
    record_filter,
    record_options,
    region_q,
)
from apps.deployments.models import Deployment
from apps.technologies.models import Technology

from .models import Product, Vendor, VendorAlias


class VendorFamilyFilter(AnyOfFilter):
    """Any of some vendors (by slug, name or alias), matching records of each vendor and of
    its subsidiaries."""

    def __init__(self, *args, **kwargs):
        queryset = Vendor.objects.published()
        kwargs.setdefault("label", _("Vendor"))
        kwargs.setdefault("help_text", _("Includes its subsidiaries."))
        kwargs.setdefault("item", RecordItemField(queryset=queryset, noun="vendor"))
        kwargs.setdefault(
            "widget",
            AnyOfWidget(
                options=lambda: record_options(queryset.filter(merged_into__isnull=True)),
                placeholder=_("name or identifier"),
            ),
        )
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{self.field_name}__in": family_ids(value)})


def family_ids(vendors):
    """The ids of `vendors` and of all their subsidiaries."""
    return set().union(*(vendor.family_ids() for vendor in vendors))


class VendorFilter(RegistryFilterSet):
    """?technology=face-recognition&country=US&customer_region=OR (agencies using it there)"""

    q = SearchFilter(
        fields=("name", "description"),
        related=((VendorAlias.objects.all(), "vendor", "name"),),
        help_text=_("Words in the name, another name or the description."),
    )
    technology = record_filter(
        Technology.objects.all(),
        "technology",
        _("Sells technology"),
        method="filter_technology",
        widget_kind="select",
    )
    country = country_filter("country", label=_("Headquartered in"))
    customer_region = RegionFilter(
        options=agency_region_options,
        label=_("Has customers in region"),
        country_param=None,
        method="filter_customer_region",
    )

    sort_options = {
        "name": (_("Name A–Z"), "name"),
        "-name": (_("Name Z–A"), "name"),
        "-updated": (_("Recently updated"), "updated_at"),
    }
    default_sort = "name"

    class Meta:
        model = Vendor
        fields = []

    def filter_technology(self, queryset, name, technologies):
        sells = Product.objects.published().filter(
            vendor=OuterRef("pk"), technologies__in=technologies
        )
        deployed = Deployment.objects.published().filter(
            vendor=OuterRef("pk"), technology__in=technologies
        )
        return queryset.filter(Exists(sells) | Exists(deployed))

    def filter_customer_region(self, queryset, name, regions):
        customers = Deployment.objects.published().filter(
            region_q(regions, "agency__"), vendor=OuterRef("pk")
        )
        return queryset.filter(Exists(customers))


class ProductFilter(RegistryFilterSet):
    """?vendor=<slug>&technology=face-recognition"""

    q = SearchFilter(
        fields=("name", "description", "vendor__name"),
        help_text=_(
            "Words in the product's or vendor's name, the description or the technologies."
        ),
    )
    vendor = VendorFamilyFilter()
    technology = record_filter(
        Technology.objects.all(),
        "technology",
        _("Technology"),
        field_name="technologies",
        distinct=True,
        widget_kind="select",
    )

    sort_options = {
        "name": (_("Name A–Z"), "name"),
        "vendor": (_("Vendor"), "vendor__name", "name"),
        "-updated": (_("Recently updated"), "updated_at"),
    }
    default_sort = "vendor"

    class Meta:
        model = Product
        fields = []
