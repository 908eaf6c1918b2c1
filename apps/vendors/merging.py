"""What merging two vendors adds to the shared merge (apps/records/merging.py)."""

from apps.records.merging import MergeRules

from .models import Product


def _conflicts(duplicate, survivor):
    # Product names are unique per vendor: two products of one name cannot both move.
    taken = {
        name.casefold(): name
        for name in Product.objects.filter(vendor=survivor).values_list("name", flat=True)
    }
    return [
        f"Both vendors have a product called “{product.name}” (product {product.slug} of "
        f"“{duplicate}”): rename one of them, or move the records of one to the other, before "
        f"merging."
        for product in Product.objects.filter(vendor=duplicate).order_by("name")
        if product.name.casefold() in taken
    ]


VENDOR_MERGE_RULES = MergeRules(
    labels={
        ("deployments.deployment", "vendor"): "Deployments",
        ("contracts.contract", "vendor"): "Contracts",
        ("contracts.nda", "counterparty_vendor"): "NDAs",
        ("vendors.vendor", "parent"): "Subsidiaries",
        ("vendors.product", "vendor"): "Products",
    },
    # A deployment naming a product is checked against the product's vendor, which must
    # already be the survivor.
    moved_first=("vendors.product",),
    conflicts=_conflicts,
)
