from django.utils.translation import gettext_lazy as _

from apps.core.views import ExportView, FilteredListView, RecordDetailView

from .exports import OversightEventExport
from .selectors import oversight_detail, oversight_list


class OversightEventListView(FilteredListView):
    template_name = "oversight/oversightevent_list.html"
    selector = oversight_list
    export_url_name = "oversight:export"
    title = _("Oversight events")
    noun = _("oversight event")


class OversightEventExportView(ExportView):
    selector = oversight_list
    filename = "oversight"
    export_class = OversightEventExport


class OversightEventDetailView(RecordDetailView):
    template_name = "oversight/oversightevent_detail.html"
    loader = oversight_detail
