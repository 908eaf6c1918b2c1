from django.views.generic import TemplateView

from apps.core.views import RecordDetailView

from .selectors import technology_detail, technology_list


class TechnologyListView(TemplateView):
    template_name = "technologies/technology_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(technologies=technology_list(), **kwargs)


class TechnologyDetailView(RecordDetailView):
    template_name = "technologies/technology_detail.html"
    loader = technology_detail
