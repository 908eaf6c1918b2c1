from django.utils.translation import gettext_lazy as _

from apps.core.views import ExportView, FilteredListView, RecordDetailView

from .exports import RecordsRequestExport, ResponseDeadlineExport
from .selectors import (
    records_request_detail,
    records_request_list,
    response_deadline_detail,
    response_deadline_list,
)


class RecordsRequestListView(FilteredListView):
    template_name = "records_requests/recordsrequest_list.html"
    selector = records_request_list
    export_url_name = "records-requests:export"
    title = _("Records requests")
    noun = _("records request")


class RecordsRequestExportView(ExportView):
    selector = records_request_list
    filename = "records-requests"
    export_class = RecordsRequestExport


class RecordsRequestDetailView(RecordDetailView):
    template_name = "records_requests/recordsrequest_detail.html"
    loader = records_request_detail


class ResponseDeadlineListView(FilteredListView):
    template_name = "records_requests/responsedeadline_list.html"
    selector = response_deadline_list
    export_url_name = "response-deadlines:export"
    title = _("Response deadlines")
    noun = _("response deadline")


class ResponseDeadlineExportView(ExportView):
    selector = response_deadline_list
    filename = "response-deadlines"
    export_class = ResponseDeadlineExport


class ResponseDeadlineDetailView(RecordDetailView):
    template_name = "records_requests/responsedeadline_detail.html"
    loader = response_deadline_detail
