import django_filters

from apps.core.filters import RegistryFilterSet, year_filter

from .models import Source, SourceKind


class SourceFilter(RegistryFilterSet):
    """?kind=records-release&publisher=ACLU&year=2018"""

    kind = django_filters.ChoiceFilter(choices=SourceKind.choices, label="Kind")
    publisher = django_filters.CharFilter(
        lookup_expr="icontains", label="Publisher", max_length=200
    )
    year = year_filter("filter_year", label="Year published")

    sort_options = {
        "-published": ("Newest first", "published_date"),
        "published": ("Oldest first", "published_date"),
        "title": ("Title A–Z", "title"),
        "publisher": ("Publisher A–Z", "publisher", "title"),
    }
    default_sort = "-published"

    class Meta:
        model = Source
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset.filter(published_date__year=int(value))
