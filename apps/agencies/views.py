from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from apps.core.views import ExportView, FilteredListView, RecordDetailView, query_string_without
from apps.records.registry import get_kind

from .exports import AgencyExport
from .models import Agency
from .selectors import agency_list, agency_profile, transparency_list


class AgencyListView(FilteredListView):
    template_name = get_kind("agencies").template("list")
    selector = agency_list
    keyset = True
    export_url_name = "agencies:export"
    title = _("Agencies")
    noun = _("agency")


class AgencyExportView(ExportView):
    selector = agency_list
    filename = "agencies"
    export_class = AgencyExport


class AgencyDetailView(RecordDetailView):
    template_name = get_kind("agencies").template("detail")
    loader = agency_profile
    paged_timeline = True
    merged_model = Agency


class TransparencyListView(FilteredListView):
    template_name = "agencies/transparency_list.html"
    selector = transparency_list
    title = _("Agency transparency")
    noun = _("agency")
    noun_plural = _("agencies")

    def get_context_data(self, **kwargs):
        # The column headings sort the list: the current filters, less the current sort.
        return super().get_context_data(
            sort_query=query_string_without(self.request.GET, "sort"), **kwargs
        )


class TransparencyMethodView(TemplateView):
    template_name = "agencies/transparency_method.html"
