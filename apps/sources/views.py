from apps.core.views import ExportView, FilteredListView, RecordDetailView

from .exports import SourceExport
from .selectors import source_detail, source_list


class SourceListView(FilteredListView):
    template_name = "sources/source_list.html"
    selector = source_list
    export_url_name = "sources:export"
    title = "Sources"


class SourceExportView(ExportView):
    selector = source_list
    filename = "sources"
    export_class = SourceExport


class SourceDetailView(RecordDetailView):
    template_name = "sources/source_detail.html"
    loader = source_detail
