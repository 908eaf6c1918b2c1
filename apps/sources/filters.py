from functools import reduce
from operator import or_

from django import forms
from django.utils.translation import gettext_lazy as _

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
        help_text=_("Words in the title, publisher, notes, address or the text of its document."),
    )
    kind = choice_filter(SourceKind.choices, _("Kind"), field_name="kind")
    publisher = AnyOfFilter(
        label=_("Publisher"),
        method="filter_publisher",
        item=forms.CharField(max_length=200),
        widget=AnyOfWidget(placeholder=_("e.g. ACLU")),
        help_text=_("Part of the publisher's name."),
    )
    year = year_filter("filter_year", label=_("Year published"))

    sort_options = {
        "-published": (_("Newest first"), "publication_date"),
        "published": (_("Oldest first"), "publication_date"),
        "title": (_("Title A–Z"), "title"),
        "publisher": (_("Publisher A–Z"), "publisher", "title"),
    }
    default_sort = "-published"

    class Meta:
        model = Source
        fields = []

    def filter_publisher(self, queryset, name, publishers):
        return queryset.filter(reduce(or_, (text_search(p, ("publisher",)) for p in publishers)))

    def filter_year(self, queryset, name, years):
        return queryset.filter(publication_date__year__in=years)
