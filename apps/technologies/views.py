from apps.core.views import FilteredListView, RecordDetailView

from .selectors import technology_detail, technology_list


class TechnologyListView(FilteredListView):
    template_name = "technologies/technology_list.html"
    selector = technology_list
    title = "Technologies"
    noun = "technology"
    # The taxonomy is a few dozen kinds, edited by admins: one page, as it always was.
    page_size = 500


class TechnologyDetailView(RecordDetailView):
    template_name = "technologies/technology_detail.html"
    loader = technology_detail
