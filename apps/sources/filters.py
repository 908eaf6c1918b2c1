from functools import reduce
from operator import or_

from django import forms

from apps.core.filters import (
    AnyOfFilter,
    AnyOfWidget,
    RegistryFilterSet,
    SearchFilter,
    choice_filter,
    year_filter,
)
from apps.core.search import text_search

from .models import Source, SourceKind


class SourceFilter(RegistryFilterSet):
    """?kind=records-release&publisher=ACLU&year=2018&q=<words>"""

    q = SearchFilter(
        fields=("title", "publisher", "notes", "url"),
        help_text="Words in the title, publisher, notes, address or the text of its document.",
    )
    kind = choice_filter(SourceKind.choices, "Kind", field_name="kind")
    publisher = AnyOfFilter(
        label="Publisher",
        method="filter_publisher",
        item=forms.CharField(max_length=200),
        widget=AnyOfWidget(placeholder="e.g. ACLU"),
        help_text="Part of the publisher's name.",
    )
    year = year_filter("filter_year", label="Year published")

    sort_options = {
        "-published": ("Newest first", "publication_date"),
        "published": ("Oldest first", "publication_date"),
        "title": ("Title A–Z", "title"),
        "publisher": ("Publisher A–Z", "publisher", "title"),
    }
    default_sort = "-published"

    class Meta:
        model = Source
        fields = []

    def filter_publisher(self, queryset, name, publishers):
        return queryset.filter(reduce(or_, (text_search(p, ("publisher",)) for p in publishers)))

    def filter_year(self, queryset, name, years):
        return queryset.filter(publication_date__year__in=years)
