from django.utils.translation import gettext_lazy as _

from apps.core.views import ExportView, FilteredListView, RecordDetailView
from apps.records.registry import get_kind

from .exports import ProductExport, VendorExport
from .models import Vendor
from .selectors import product_detail, product_list, vendor_list, vendor_profile


class VendorListView(FilteredListView):
    template_name = get_kind("vendors").template("list")
    selector = vendor_list
    export_url_name = "vendors:export"
    title = _("Vendors")
    noun = _("vendor")


class VendorExportView(ExportView):
    selector = vendor_list
    filename = "vendors"
    export_class = VendorExport


class VendorDetailView(RecordDetailView):
    template_name = get_kind("vendors").template("detail")
    loader = vendor_profile
    paged_timeline = True
    merged_model = Vendor


class ProductListView(FilteredListView):
    template_name = get_kind("products").template("list")
    selector = product_list
    export_url_name = "products:export"
    title = _("Products")
    noun = _("product")


class ProductExportView(ExportView):
    selector = product_list
    filename = "products"
    export_class = ProductExport


class ProductDetailView(RecordDetailView):
    template_name = get_kind("products").template("detail")
    loader = product_detail
    paged_timeline = True
