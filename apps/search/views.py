"""/search/?q=…&kind=…&region=…: every published record matching, grouped by kind."""

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse, translate_url
from django.utils.translation import get_language, override
from django.views.generic import TemplateView

from apps.core.limits import refusal_page, seconds_to_wait
from apps.records.registry import get_kind
from apps.records.search import grouped, highlight, indexed_kinds, passage

from .forms import SearchForm

PER_KIND = 5  # results shown per kind when searching every kind
ONE_KIND = 25  # when one kind is chosen


class SearchView(TemplateView):
    template_name = "search/results.html"

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET)
        context = self.get_context_data(form=form, q="", groups=[])
        if not form.is_valid():
            return self.render_to_response(context, status=400)
        q = form.cleaned_data["q"].strip()
        kinds = form.cleaned_data["kind"] or None
        regions = form.cleaned_data["region"]
        context["q"] = q
        if q:
            wait = seconds_to_wait(request, "search")
            if wait:
                return refusal_page(request, "search", wait)
            per_kind = ONE_KIND if kinds and len(kinds) == 1 else PER_KIND
            found = grouped(q, kinds=kinds, regions=regions, per_kind=per_kind)
            context["groups"] = [
                _group(kind, *found[kind.key], q=q, regions=regions)
                for kind in indexed_kinds()
                if kind.key in found
            ]
            context["total"] = sum(group["total"] for group in context["groups"])
            context["more"] = any(group["more"] for group in context["groups"])
        return self.render_to_response(context)


def _in_readers_language(address):
    """An address the index stores in the default language (apps/records/search.py), in the
    language of the page being read. It resolves in the default language, not the page's."""
    language = get_language()
    with override(settings.LANGUAGE_CODE):
        return translate_url(address, language)


def _group(kind, total, more, entries, *, q, regions):
    return {
        "kind": kind,
        "total": total,
        "more": more,
        "results": [
            {
                "url": _in_readers_language(entry.url),
                "name": highlight(entry.name, q),
                "passage": passage(entry.text, q),
                "place": f"{entry.country}-{entry.region}" if entry.region else entry.country,
            }
            for entry in entries
        ],
        "more_url": _list_url(kind, q, regions) if more or total > len(entries) else None,
    }


def _list_url(kind, q, regions):
    """The kind's list with the same search (and regions, when the list filters by them)."""
    params = QueryDict(mutable=True)
    params["q"] = q
    filters = get_kind(kind.key).filterset_class.base_filters
    if regions and "region" in filters:
        params.setlist("region", [r.full_code for r in regions])
    return f"{reverse(kind.list_url_name)}?{params.urlencode()}"
