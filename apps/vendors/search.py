"""How vendors and products are found in site-wide search (apps/records/search.py)."""

from apps.records.search import Document, SearchSpec, alias_names


class VendorSearch(SearchSpec):
    prefetch = ("aliases",)

    def document(self, vendor):
        return Document(
            name=vendor.name,
            url=vendor.get_absolute_url(),
            names=alias_names(vendor),
            text=[vendor.description],
            country=vendor.country,
        )


class ProductSearch(SearchSpec):
    related = ("vendor",)
    prefetch = ("technologies",)
    depends_on = ("vendor",)

    def document(self, product):
        return Document(
            name=product.name,
            url=product.get_absolute_url(),
            names=[product.vendor.name],
            text=[product.description, *(t.name for t in product.technologies.all())],
        )


VENDOR_SEARCH = VendorSearch()
PRODUCT_SEARCH = ProductSearch()
