from apps.core.views import ExportView, FilteredListView, RecordDetailView

from . import exports
from .models import Agency
from .selectors import agency_list, agency_profile


class AgencyListView(FilteredListView):
    template_name = "agencies/agency_list.html"
    selector = agency_list
    export_url_name = "agencies:export"
    title = "Agencies"


class AgencyExportView(ExportView):
    selector = agency_list
    filename = "agencies"
    csv_columns = exports.COLUMNS

    def prepare(self, queryset):
        return queryset.prefetch_related("aliases")

    def cells(self, record):
        return exports.cells(record)


class AgencyDetailView(RecordDetailView):
    template_name = "agencies/agency_detail.html"
    loader = agency_profile

    merged_model = Agency
