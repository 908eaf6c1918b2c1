from apps.core.views import ExportView, FilteredListView, RecordDetailView

from . import exports
from .selectors import source_detail, source_list


class SourceListView(FilteredListView):
    template_name = "sources/source_list.html"
    selector = source_list
    export_url_name = "sources:export"
    title = "Sources"


class SourceExportView(ExportView):
    selector = source_list
    filename = "sources"
    csv_columns = exports.COLUMNS

    def cells(self, record):
        return exports.cells(record)


class SourceDetailView(RecordDetailView):
    template_name = "sources/source_detail.html"
    loader = source_detail
