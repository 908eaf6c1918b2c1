from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import EmptyPage, Paginator
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
    JsonResponse,
    QueryDict,
)
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from .exports import csv_response, json_lines_response, json_response
from .filters import AnyOfField, RegionField
from .limits import refusal_page, refusal_text, seconds_to_wait
from .models import published_through
from .pagination import CURSOR_PARAMS, PAGE_NUMBER, KeysetPaginator
from .selectors import FilterError
from .timeline import TimelineCursorError

# Parameters that name a place in the list, which a change of filter or sort makes meaningless.
POSITION_PARAMS = ("page", *CURSOR_PARAMS)


def query_string_without(params, *names):
    """The current query string less `names`, blank values (a plain GET form sends every
    empty box) and the page number, which a change of filter makes meaningless."""
    return _query_string(params, lambda name, value: name not in names)


def _query_string(params, keep):
    kept = QueryDict(mutable=True)
    for name, values in params.lists():
        if name not in POSITION_PARAMS:
            kept.setlist(name, [v for v in values if v.strip() and keep(name, v)])
    return kept.urlencode()


def param_value(item):
    """A cleaned filter value as a query-string value that means it alone wherever it goes:
    a region's full code (US-OR, which a bare OR is not once another country is removed), a
    record's slug, a choice's value, a year."""
    for attribute in ("full_code", "slug"):
        if hasattr(item, attribute):
            return getattr(item, attribute)
    return str(item)


def active_filters(filterset, params):
    """[(label, shown value, URL that removes it)] for every filter in use, one per distinct
    value of a repeated parameter (OR, US-OR and Oregon are one chip), for the chips above a
    list.

    Each link keeps the other values in their resolved form, so that it is valid whatever is
    removed: `country=US&country=Mexico&region=OR` less the US keeps region US-OR, not OR
    (which Mexico has not). Removing a country also removes the regions that were only
    allowed by it, since they would contradict the countries left."""
    form = filterset.form
    resolved = {}  # {name: {query value: item}} for the repeated parameters, in order
    for name, value in form.cleaned_data.items():
        if isinstance(form.fields[name], AnyOfField) and value:
            resolved[name] = {param_value(item): item for item in value}
    chips = []
    for name, value in form.cleaned_data.items():
        if name == "sort" or value in (None, "", [], ()):
            continue
        field = form.fields[name]
        if isinstance(field, AnyOfField):
            for key, item in resolved[name].items():
                remove = "?" + _resolved_query_string(form, params, resolved, name, key)
                chips.append((field.label, str(field.item_label(item)), remove))
            continue
        choices = dict(getattr(field, "choices", ()) or ())
        shown = choices.get(value, value)
        if isinstance(shown, float) and shown.is_integer():
            shown = int(shown)
        remove = "?" + _resolved_query_string(form, params, resolved, name, None)
        chips.append((field.label, str(shown), remove))
    return chips


def _resolved_query_string(form, params, resolved, removed_name, removed_value):
    """The query string with repeated parameters in resolved form, less one value of
    `removed_name` (or all of it when `removed_value` is None), and without the page."""
    values = {
        name: [v for v in items if name != removed_name or v != removed_value]
        for name, items in resolved.items()
    }
    for name, field in form.fields.items():
        countries = values.get(removed_name)
        if isinstance(field, RegionField) and field.country_param == removed_name and countries:
            values[name] = [
                v for v in values.get(name, ()) if resolved[name][v].country in countries
            ]
    kept = QueryDict(mutable=True)
    for name, raw in params.lists():
        if name in POSITION_PARAMS or (name == removed_name and removed_value is None):
            continue
        new = values[name] if name in values else [v for v in raw if v.strip()]
        if new:
            kept.setlist(name, new)
    return kept.urlencode()


def page_of(paginator, params):
    """(page, None, 200) for the `page` parameter, or (None, FilterError, 400 or 404) when it
    is not one page number or is past the end: a list never shows page 1 for `page=²`."""
    pages = params.getlist("page") or ["1"]
    page_number = pages[-1]
    # Only ASCII digits: str.isdigit() also accepts "²", which int() refuses.
    if len(pages) > 1 or not PAGE_NUMBER.fullmatch(page_number) or int(page_number) < 1:
        message = gettext("“%(text)s” is not a page number.") % {"text": page_number}
        return None, FilterError("page", gettext("Page"), message), 400
    try:
        return paginator.page(int(page_number)), None, 200
    except EmptyPage:
        message = gettext("There is no page %(number)s: the list has %(pages)s.") % {
            "number": page_number,
            "pages": paginator.num_pages,
        }
        return None, FilterError("page", gettext("Page"), message), 404


def ignored_params(params, known):
    """The parameters of the query string that are not among `known` (nor `page`): a
    mistyped one (`regoin=OR`) would otherwise leave the whole list showing as if it were
    filtered; links from elsewhere carry extra ones (utm_…), so pages say it, not 400."""
    return sorted(set(params) - set(known) - {"page"})


class FilteredListView(TemplateView):
    """A public list: filters and sorting from the query string, pagination, export links.

    Subclasses name a `selector` (keyword-only `params`, returning a FilteredList) and the
    `export_url_name` whose csv/json variants serve the same selection."""

    selector = None
    export_url_name = ""
    title = ""
    noun = ""  # one record, for "Showing 1–1 of 1 deployment."
    noun_plural = ""
    page_size = None
    # Keyset pagination (apps.core.pagination): Next and Previous by the position of a row,
    # bounded counts. The lists that grow to a million rows use it; others page by number.
    keyset = False

    def get(self, request, *args, **kwargs):
        if request.GET.get("q", "").strip():
            # A searched list ranks the whole index, as the search page does.
            wait = seconds_to_wait(request, "search")
            if wait:
                return refusal_page(request, "search", wait)
        result = type(self).selector(params=request.GET)
        context = self.get_context_data(
            result=result,
            filterset=result.filterset,
            form=result.filterset.form,
            errors=result.errors,
            title=self.title,
            noun=self.noun,
            noun_plural=self.noun_plural or self.title.lower(),
            export_query=query_string_without(request.GET),
            export_url_name=self.export_url_name,
            page_query=query_string_without(request.GET),
        )
        if not result.is_valid:
            return self.render_to_response(context, status=400)
        context["active_filters"] = active_filters(result.filterset, request.GET)
        known = [*result.filterset.filters, *(CURSOR_PARAMS if self.keyset else ())]
        context["ignored_params"] = ignored_params(request.GET, known)
        per_page = self.page_size or settings.LIST_PAGE_SIZE
        if self.keyset:
            filterset = result.filterset
            paginator = KeysetPaginator(
                result.queryset, filterset.ordering(), per_page, filterset.sort_in_effect()
            )
            page, error, status = paginator.page_for(request.GET)
        else:
            paginator = Paginator(result.queryset, per_page)
            page, error, status = page_of(paginator, request.GET)
        if error:
            context["errors"] = [error]
            return self.render_to_response(context, status=status)
        page.object_list = list(page.object_list)
        self.prepare_rows(page.object_list)
        context.update(page_obj=page, paginator=paginator, object_list=page.object_list)
        return self.render_to_response(context)

    def prepare_rows(self, rows):
        """Add to the page's rows (a list) what only the page shows, in a fixed number of
        queries: what the list's selector, shared with the exports and the API, leaves out."""


def filter_errors_json(errors, request):
    """The body of a 400 for invalid filters, in JSON (the JSON export and the API): one
    line per error, and each error's parameter, message and, for an ambiguous value, the
    records or places it could mean, with absolute links."""
    absolute = request.build_absolute_uri
    return {
        "errors": [f"{e.param} ({e.label}): {e.message}" for e in errors],
        "details": [
            {
                "parameter": e.param,
                "message": e.message,
                "candidates": [
                    {
                        "label": c.label,
                        "filter_url": absolute(c.filter_url),
                        "url": c.page_url and absolute(c.page_url),
                    }
                    for c in e.candidates
                ],
            }
            for e in errors
        ],
    }


def filter_errors_response(request, errors):
    """The JSON 400 of an endpoint asked for an invalid filter (filter_errors_json)."""
    return JsonResponse(filter_errors_json(errors, request), status=400)


class ExportView(View):
    """Streams the selection of a list page as CSV, JSON or JSON Lines (`export.csv?<same
    filters>`, `export.json`, `export.jsonl`), one row or object per record, through the
    kind's RecordExport (`export_class`)."""

    selector = None
    filename = ""
    export_class = None

    def get(self, request, fmt):
        wait = seconds_to_wait(request, "export")
        if wait:
            return refusal_text(request, "export", wait, json=fmt != "csv")
        result = type(self).selector(params=request.GET)
        if not result.is_valid:
            errors = result.errors
            if fmt != "csv":
                return filter_errors_response(request, errors)
            reasons = [e.as_text(request.build_absolute_uri) for e in errors]
            return HttpResponseBadRequest(
                gettext("Invalid filter.") + "\n" + "\n".join(reasons),
                content_type="text/plain; charset=utf-8",
            )
        export = self.export_class(request)
        filterset = result.filterset
        # The list's order as its pages read it (KeysetPaginator.ordered): the terms its
        # indexes match, so that a large export streams from the first row instead of
        # sorting the whole selection first.
        queryset = KeysetPaginator(
            result.queryset, filterset.ordering(), 1, filterset.sort_in_effect()
        ).ordered()
        if fmt == "csv":
            return csv_response(
                filename=f"{self.filename}.csv",
                columns=export.columns,
                lines=export.csv_text(queryset),
                using=queryset.db,
            )
        if fmt == "jsonl":
            return json_lines_response(
                filename=f"{self.filename}.jsonl",
                objects=export.json_texts(queryset),
                using=queryset.db,
            )
        return json_response(
            filename=f"{self.filename}.json",
            objects=export.json_texts(queryset),
            meta={"kind": self.filename, "filters": query_string_without(request.GET)},
            using=queryset.db,
        )


class RecordDetailView(TemplateView):
    """A public record's page. `loader` is a selector called with the URL's keyword
    arguments (slug or pk) that returns the template context; a record that does not exist
    or is not published is a 404, unless `moved_to` names where it went (a merged duplicate):
    then the page redirects there for good."""

    loader = None
    # Whether the loader pages a long timeline: it is then given the `timeline` parameter
    # (apps/core/timeline.py timeline_page).
    paged_timeline = False
    # Kinds whose duplicates are merged (agencies, vendors): the model, found by slug.
    merged_model = None

    def moved_to(self, **kwargs):
        """The URL a record that is not found here has moved to, or None: a duplicate merged
        into another record sends its visitors to the survivor. Only asked when the loader
        found nothing, so a normal page load costs nothing more."""
        if self.merged_model is None:
            return None
        survivor = (
            self.merged_model.objects.filter(published_through("merged_into"), slug=kwargs["slug"])
            .select_related("merged_into")
            .first()
        )
        return survivor.merged_into.get_absolute_url() if survivor else None

    def get(self, request, *args, **kwargs):
        loader = type(self).loader
        status = 200
        try:
            if self.paged_timeline:
                try:
                    record_context = loader(**kwargs, timeline=request.GET.get("timeline"))
                except TimelineCursorError:
                    # A damaged link: the newest entries, and the page says why.
                    record_context = loader(**kwargs)
                    record_context["timeline_error"] = True
                    status = 400
            else:
                record_context = loader(**kwargs)
        except ObjectDoesNotExist as exc:
            target = self.moved_to(**kwargs)
            if target:
                return HttpResponsePermanentRedirect(target)
            raise Http404("No published record has this address.") from exc
        context = self.get_context_data(**record_context, **kwargs)
        return self.render_to_response(context, status=status)
