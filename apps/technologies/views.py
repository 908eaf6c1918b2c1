from apps.core.views import FilteredListView, RecordDetailView
from apps.records.registry import get_kind

from .selectors import technology_detail, technology_list


class TechnologyListView(FilteredListView):
    template_name = get_kind("technologies").template("list")
    selector = technology_list
    title = "Technologies"
    noun = "technology"
    # The taxonomy is a few dozen kinds, edited by admins: one page, as it always was.
    page_size = 500


class TechnologyDetailView(RecordDetailView):
    template_name = get_kind("technologies").template("detail")
    loader = technology_detail
