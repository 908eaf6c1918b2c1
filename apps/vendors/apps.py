from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "apps.vendors"
    label = "vendors"

    def ready(self):
        from apps.records.registry import Kind, register

        register(
            Kind(
                key="vendors",
                search="apps.vendors.search.VENDOR_SEARCH",
                model=self.get_model("Vendor"),
                a_noun=_("a vendor"),
                position=30,
                lookup="slug",
                form="apps.vendors.forms.VendorForm",
                filterset="apps.vendors.filters.VendorFilter",
                list_selector="apps.vendors.selectors.vendor_list",
                detail_selector="apps.vendors.selectors.vendor_profile",
                export="apps.vendors.exports.VendorExport",
                merge_rules="apps.vendors.merging.VENDOR_MERGE_RULES",
                search_fields=("name", "aliases__name"),
            )
        )
        register(
            Kind(
                key="products",
                search="apps.vendors.search.PRODUCT_SEARCH",
                model=self.get_model("Product"),
                a_noun=_("a product"),
                position=40,
                lookup="slug",
                form="apps.vendors.forms.ProductForm",
                filterset="apps.vendors.filters.ProductFilter",
                list_selector="apps.vendors.selectors.product_list",
                detail_selector="apps.vendors.selectors.product_detail",
                export="apps.vendors.exports.ProductExport",
                search_fields=("name",),
            )
        )
