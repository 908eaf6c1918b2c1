from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from apps.core.places import region_by_code

from .selectors import region_detail, region_list, region_url


class RegionListView(TemplateView):
    template_name = "regions/region_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(regions=region_list(), **kwargs)


class RegionDetailView(TemplateView):
    """/regions/US/OR/: codes only (ISO 3166-1 and the ISO 3166-2 code without the country),
    any case, redirected to upper case; a code no region has is a 404."""

    template_name = "regions/region_detail.html"

    def get(self, request, *args, country, region, **kwargs):
        place = region_by_code(country, region)
        if place is None:
            raise Http404("No region has this code.")
        if (country, region) != (place.country, place.code):
            return redirect(region_url(place), permanent=True)
        return self.render_to_response(self.get_context_data(**region_detail(place)))
