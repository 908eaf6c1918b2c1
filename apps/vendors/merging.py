"""What merging two vendors adds to the shared merge (apps/records/merging.py)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.records.merging import MergeRules

from .models import Product


def _conflicts(duplicate, survivor):
    # Product names are unique per vendor: two products of one name cannot both move.
    taken = {
        name.casefold(): name
        for name in Product.objects.filter(vendor=survivor).values_list("name", flat=True)
    }
    return [
        gettext(
            "Both vendors have a product called “%(product)s” (product %(slug)s of "
            "“%(vendor)s”): rename one of them, or move the records of one to the other, before "
            "merging."
        )
        % {"product": product.name, "slug": product.slug, "vendor": duplicate}
        for product in Product.objects.filter(vendor=duplicate).order_by("name")
        if product.name.casefold() in taken
    ]


VENDOR_MERGE_RULES = MergeRules(
    labels={
        ("deployments.deployment", "vendor"): _("Deployments"),
        ("contracts.contract", "vendor"): _("Contracts"),
        ("contracts.nda", "counterparty_vendor"): _("NDAs"),
        ("vendors.vendor", "parent"): _("Subsidiaries"),
        ("vendors.product", "vendor"): _("Products"),
    },
    # A deployment naming a product is checked against the product's vendor, which must
    # already be the survivor.
    moved_first=("vendors.product",),
    conflicts=_conflicts,
)
