"""Reads shared by every list: a FilterSet applied to a base queryset."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import QueryDict


@dataclass
class FilteredList:
    """The outcome of applying a list's query-string filters.

    `queryset` is None when a filter value is invalid: callers show `errors` instead of
    silently ignoring the bad filter (which would show more rows than asked for)."""

    filterset: object
    queryset: QuerySet | None

    @property
    def is_valid(self):
        return self.queryset is not None

    @property
    def errors(self):
        """A FilterError for every invalid parameter, naming it."""
        form = self.filterset.form
        params = self.filterset.data
        errors = []
        for name, problems in form.errors.as_data().items():
            label = form.fields[name].label if name in form.fields else name
            for problem in problems:
                typed = getattr(problem, "typed", None)
                candidates = [
                    Candidate(text, page_url, "?" + replaced(params, name, typed, value))
                    for text, value, page_url in getattr(problem, "candidates", ())
                ]
                errors.append(FilterError(name, label, " ".join(problem), candidates))
        return errors


@dataclass
class Candidate:
    """One of the places or records an ambiguous value could mean: `page_url` is its own
    page (records), `filter_url` this list filtered by it instead."""

    label: str
    page_url: str
    filter_url: str


@dataclass
class FilterError:
    param: str
    label: str
    message: str
    candidates: list = field(default_factory=list)

    def as_text(self, absolute=str):
        """One line per error (and per candidate) for the plain-text 400 of an export."""
        lines = [f"{self.param} ({self.label}): {self.message}"]
        for candidate in self.candidates:
            page = f" ({absolute(candidate.page_url)})" if candidate.page_url else ""
            lines.append(f"  - {candidate.label}: {absolute(candidate.filter_url)}{page}")
        return "\n".join(lines)


def replaced(params, name, old, new):
    """The query string with the value `old` of `name` replaced by `new` (page and cursor
    dropped)."""
    if not hasattr(params, "setlist"):
        params = QueryDict(mutable=True) | params
    params = params.copy()
    params.setlist(name, [new if value == old else value for value in params.getlist(name)])
    for position in ("page", "after", "before"):
        params.pop(position, None)
    return params.urlencode()


def filter_list(*, filterset_class, params, queryset):
    # Always bound, even to no parameters, so that the default sort order applies.
    filterset = filterset_class(params if params is not None else {}, queryset=queryset)
    if not filterset.is_valid():
        return FilteredList(filterset, None)
    return FilteredList(filterset, filterset.qs)
