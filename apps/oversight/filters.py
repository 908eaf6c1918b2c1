from django.utils.translation import gettext_lazy as _

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
        help_text=_("Words in the summary, the outcome or the agency's name."),
    )
    kind = choice_filter(EventKind.choices, _("Kind of event"), field_name="kind")
    agency = record_filter(
        Agency.objects.published(),
        "agency",
        _("Agency or governing body"),
        ori=True,
        help_text=_("The agency or body that held it."),
    )
    country = country_filter("agency__country")
    region = RegionFilter(prefix="agency__", options=agency_region_options)
    year = year_filter("filter_year", label=_("Year"), help_text=_("Held (or found) that year."))
    public_comment = tri_state_filter(_("Public could comment"), field_name="public_comment")
    technology = record_filter(
        Technology.objects.all(),
        "technology",
        _("Technology"),
        field_name="deployments__technology",
        distinct=True,
        widget_kind="select",
        help_text=_("Concerns a deployment of this technology."),
    )

    sort_options = {
        "-date": (_("Newest first"), "occurred_date"),
        "date": (_("Oldest first"), "occurred_date"),
        "agency": (_("Agency A–Z"), "agency__name", "-occurred_date"),
    }
    default_sort = "-date"

    class Meta:
        model = OversightEvent
        fields = []

    def filter_year(self, queryset, name, years):
        return queryset.filter(occurred_date__year__in=years)
