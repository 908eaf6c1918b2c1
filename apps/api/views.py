"""The read-only API: one list and one detail endpoint per registered kind, generated from
the registry (urls.py), so a new kind gets its endpoints without API code.

A list reads the kind's list selector with the query string, exactly as the HTML list and
its exports do, so a filter means the same everywhere; an invalid value is the same 400
with the same reasons. Only published records are read: the selectors return nothing else."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpResponsePermanentRedirect, JsonResponse, QueryDict
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.response import Response

from apps.core.models import published_through
from apps.core.views import filter_errors_json

from .pagination import RecordCursorPagination
from .records import RecordWriter, api_url
from .schema import KindSchema

# Parameters of every list besides its filters: the pagination's.
PAGING_PARAMS = {"cursor", "page_size"}


def parameter_errors(filterset_class, params):
    """FilterSet-style errors for what the filters do not cover: `sort` (the API pages in one
    order) and parameters the list does not have (a mistyped `regoin=OR` would otherwise
    return the whole list as if it were filtered)."""
    known = set(filterset_class.base_filters) - {"sort"} if filterset_class else set()
    errors = []
    for name in sorted(set(params) - known - PAGING_PARAMS):
        if name == "sort":
            message = (
                "The API lists records oldest first (by id) so that its cursor pages never "
                "repeat or skip a record; sort is not available."
            )
        else:
            message = "This list has no such filter. Its filters are: " + (
                ", ".join(sorted(known)) or "none"
            )
        errors.append({"parameter": name, "message": message})
    return errors


class KindViewSet(viewsets.ViewSet):
    """GET only: any other method is 405. Subclasses (urls.py) set `kind`."""

    kind = None
    pagination_class = RecordCursorPagination
    schema = KindSchema()
    http_method_names = ["get", "head", "options"]
    # The detail's URL part: a slug or an id, as the kind's `lookup` says (Kind.get). Any
    # text but a slash (DRF's default also refuses a dot), so that every key the schema
    # allows reaches retrieve() and a key no record has is this API's JSON 404.
    lookup_field = "key"
    lookup_value_regex = "[^/]+"

    def throttled(self, request, wait):
        raise Throttled(
            wait,
            detail="Too many requests from this address; the limit keeps the API available "
            "to everyone.",
        )

    def list(self, request):
        kind = self.kind
        unknown = parameter_errors(kind.filterset_class, request.query_params)
        if unknown:
            return Response(
                {
                    "errors": [f"{e['parameter']}: {e['message']}" for e in unknown],
                    "details": [{**e, "candidates": []} for e in unknown],
                },
                status=400,
            )
        result = kind.list_selector_function(params=request.query_params)
        if not result.is_valid:
            return Response(filter_errors_json(result.errors, request), status=400)
        writer = RecordWriter(kind, request)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(writer.list_rows(result.queryset), request, view=self)
        return paginator.get_paginated_response(writer.list_page(page))

    def retrieve(self, request, key):
        kind = self.kind
        # The list's own selection, unfiltered: what the public may see of this kind.
        queryset = kind.list_selector_function(params=QueryDict()).queryset
        writer = RecordWriter(kind, request)
        try:
            record = kind.get(key, writer.prepare(queryset))
        except ObjectDoesNotExist as exc:
            survivor = merged_into(kind, key)
            if survivor is not None:
                url = api_url(writer.export.urls, kind, survivor)
                return HttpResponsePermanentRedirect(url)
            raise NotFound(f"No published {kind.noun} has this address.") from exc
        return Response(writer.page([record])[0])


def not_found(request, path):
    """Any other address under /api/v1/ (a key with an encoded slash, a mistyped kind): the
    API's JSON 404, as its schema documents, not the site's HTML page."""
    return JsonResponse({"detail": "No API endpoint has this address."}, status=404)


def merged_into(kind, key):
    """The published record a merged duplicate (agencies, vendors) went into, or None: its
    old API address moves there for good, as its page does (RecordDetailView.moved_to).
    Asked only when nothing was found, so a normal request costs nothing more."""
    if not kind.mergeable or kind.lookup != "slug":
        return None
    duplicate = (
        kind.model.objects.filter(published_through("merged_into"), slug=key)
        .select_related("merged_into")
        .first()
    )
    return duplicate.merged_into if duplicate else None
