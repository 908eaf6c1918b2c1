from django.views.generic import TemplateView

from apps.agencies.regions import agency_region_options

from .selectors import registry_overview


class HomeView(TemplateView):
    template_name = "home/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **registry_overview(), region_options=agency_region_options(), **kwargs
        )
