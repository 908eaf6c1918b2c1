from apps.core.views import ExportView, FilteredListView, RecordDetailView
from apps.records.registry import get_kind

from .exports import AgencyExport
from .models import Agency
from .selectors import agency_list, agency_profile


class AgencyListView(FilteredListView):
    template_name = get_kind("agencies").template("list")
    selector = agency_list
    export_url_name = "agencies:export"
    title = "Agencies"
    noun = "agency"


class AgencyExportView(ExportView):
    selector = agency_list
    filename = "agencies"
    export_class = AgencyExport


class AgencyDetailView(RecordDetailView):
    template_name = get_kind("agencies").template("detail")
    loader = agency_profile

    merged_model = Agency
