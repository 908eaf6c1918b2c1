from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.views import (
    active_filters,
    filter_errors_response,
    ignored_params,
    page_of,
    query_string_without,
)

from .selectors import (
    agencies_of_page,
    agencies_on_map,
    agency_rows,
    legend,
    map_selection,
    unplaced_count,
)


def deployments_link(params):
    """The deployments list's URL for the current filters, but one agency (an `agency`
    filter in use is replaced, not added to: several would mean any of them), as a prefix
    that the agency's slug ends."""
    kept = query_string_without(params, "agency")
    return f"{reverse('deployments:list')}?{kept}{'&' if kept else ''}agency="


class MapView(TemplateView):
    """/map/?<the deployments list's filters>: markers drawn by static/js/map.js from the
    GeoJSON endpoint, and the same agencies as a server-rendered list (no JavaScript or no
    tiles still shows the data)."""

    template_name = "maps/map.html"

    def render_to_response(self, context, **kwargs):
        # The agencies are listed by name whatever `sort` says (it still carries over to
        # the links to their deployments), so the form does not offer it. Only now: the
        # chips and error messages above were read from the whole form.
        context["form"].fields.pop("sort", None)
        return super().render_to_response(context, **kwargs)

    def get(self, request, *args, **kwargs):
        result = map_selection(params=request.GET)
        query = query_string_without(request.GET)
        context = self.get_context_data(
            title=_("Map"),
            form=result.filterset.form,
            errors=result.errors,
            noun=_("agency"),
            noun_plural=_("agencies"),
            query=query,
            page_query=query,
            tile_url=settings.MAP_TILE_URL,
            tile_attribution=settings.MAP_TILE_ATTRIBUTION,
        )
        if not result.is_valid:
            return self.render_to_response(context, status=400)
        deployments = result.queryset
        context["active_filters"] = active_filters(result.filterset, request.GET)
        context["ignored_params"] = ignored_params(request.GET, result.filterset.filters)
        paginator = Paginator(agency_rows(deployments), settings.LIST_PAGE_SIZE)
        page, error, status = page_of(paginator, request.GET)
        if error:
            context["errors"] = [error]
            return self.render_to_response(context, status=status)
        context.update(
            page_obj=page,
            paginator=paginator,
            object_list=agencies_of_page(deployments, page.object_list),
            legend=legend(deployments),
            unplaced_count=unplaced_count(deployments),
            deployments_link=deployments_link(request.GET),
        )
        return self.render_to_response(context)


class AgencyGeoJsonView(View):
    """/map/agencies.geojson?<the deployments list's filters>: the map's agencies as a
    GeoJSON FeatureCollection of points, for the page's script and for anyone's."""

    def get(self, request):
        result = map_selection(params=request.GET)
        if not result.is_valid:
            return filter_errors_response(request, result.errors)
        link = request.build_absolute_uri(deployments_link(request.GET))
        features = [
            {
                "type": "Feature",
                # GeoJSON (RFC 7946) is longitude first.
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(entry.agency.longitude), float(entry.agency.latitude)],
                },
                "properties": {
                    "name": entry.agency.name,
                    "place": entry.agency.place,
                    "url": request.build_absolute_uri(entry.agency.get_absolute_url()),
                    "deployments": entry.deployments,
                    "deployments_url": link + quote(entry.agency.slug),
                    "technologies": [
                        {"slug": t.slug, "name": t.name, "deployments": t.deployments}
                        for t in entry.technologies
                    ],
                    "colour_key": entry.colour_key,
                    "colour": entry.colour,
                },
            }
            for entry in agencies_on_map(result.queryset)
        ]
        return JsonResponse(
            {"type": "FeatureCollection", "features": features},
            content_type="application/geo+json",
        )
