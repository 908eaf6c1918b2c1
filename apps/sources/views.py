from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.views import ExportView, FilteredListView, RecordDetailView
from apps.records.registry import get_kind

from .documents import document_response
from .exports import SourceExport
from .models import Source
from .selectors import source_detail, source_list, source_with_document_for


class SourceListView(FilteredListView):
    template_name = get_kind("sources").template("list")
    selector = source_list
    export_url_name = "sources:export"
    title = _("Sources")
    noun = _("source")


class SourceExportView(ExportView):
    selector = source_list
    filename = "sources"
    export_class = SourceExport


class SourceDetailView(RecordDetailView):
    template_name = get_kind("sources").template("detail")
    loader = source_detail


class SourceDocumentView(View):
    """A source's current document, to the readers its visibility allows. A replaced file
    has no address of its own, so it is gone from the public site with its replacement."""

    http_method_names = ["get", "head"]

    def get(self, request, pk):
        try:
            source = source_with_document_for(pk=pk, user=request.user)
        except Source.DoesNotExist:
            raise Http404(gettext("No such document.")) from None
        try:
            return document_response(source)
        except FileNotFoundError:  # recorded but lost from MEDIA_ROOT
            raise Http404(gettext("The document is missing.")) from None
