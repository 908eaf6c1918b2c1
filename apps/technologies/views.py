from django.utils.translation import gettext_lazy as _

from apps.core.views import ExportView, FilteredListView, RecordDetailView
from apps.records.registry import get_kind

from .exports import TechnologyExport
from .selectors import technology_detail, technology_list


class TechnologyListView(FilteredListView):
    template_name = get_kind("technologies").template("list")
    selector = technology_list
    export_url_name = "technologies:export"
    title = _("Technologies")
    noun = _("technology")
    # The taxonomy is a few dozen kinds, edited by admins: one page, as it always was.
    page_size = 500


class TechnologyExportView(ExportView):
    selector = technology_list
    filename = "technologies"
    export_class = TechnologyExport


class TechnologyDetailView(RecordDetailView):
    template_name = get_kind("technologies").template("detail")
    loader = technology_detail
