from apps.agencies.models import Agency, AgencyAlias
from apps.agencies.regions import agency_region_options
from apps.core.filters import (
    RegionFilter,
    RegistryFilterSet,
    SearchFilter,
    choice_filter,
    country_filter,
    record_filter,
    tri_state_filter,
    year_filter,
)
from apps.technologies.models import Technology

from .models import EventKind, OversightEvent


class OversightEventFilter(RegistryFilterSet):
    """?kind=vote&kind=public-hearing&agency=<slug>&region=OR&year=2019&public_comment=no
    &technology=face-recognition&q=<words>"""

    q = SearchFilter(
        fields=("summary", "outcome_summary", "agency__name"),
        related=((AgencyAlias.objects.all(), "agency", "name", "agency"),),
        help_text="Words in the summary, the outcome or the agency's name.",
    )
    kind = choice_filter(EventKind.choices, "Kind of event", field_name="kind")
    agency = record_filter(
        Agency.objects.published(),
        "agency",
        "Agency or governing body",
        ori=True,
        help_text="The agency or body that held it.",
    )
    country = country_filter("agency__country")
    region = RegionFilter(prefix="agency__", options=agency_region_options)
    year = year_filter("filter_year", label="Year", help_text="Held (or found) that year.")
    public_comment = tri_state_filter("Public could comment", field_name="public_comment")
    technology = record_filter(
        Technology.objects.all(),
        "technology",
        "Technology",
        field_name="deployments__technology",
        distinct=True,
        widget_kind="select",
        help_text="Concerns a deployment of this technology.",
    )

    sort_options = {
        "-date": ("Newest first", "occurred_date"),
        "date": ("Oldest first", "occurred_date"),
        "agency": ("Agency A–Z", "agency__name", "-occurred_date"),
    }
    default_sort = "-date"

    class Meta:
        model = OversightEvent
        fields = []

    def filter_year(self, queryset, name, years):
        return queryset.filter(occurred_date__year__in=years)
