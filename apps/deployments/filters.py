from functools import reduce
from operator import or_

from django.utils.translation import gettext_lazy as _

from apps.agencies.models import Agency, AgencyAlias, AgencyKind
from apps.agencies.regions import agency_region_options
from apps.core.filters import (
    RegionFilter,
    RegistryFilterSet,
    SearchFilter,
    any_of,
    choice_filter,
    country_filter,
    record_filter,
    tri_state_filter,
    year_filter,
    yes_no_filter,
    yes_or_no,
)
from apps.core.models import YesNoUnknown
from apps.technologies.models import Technology
from apps.vendors.filters import VendorFamilyFilter
from apps.vendors.models import Product

from .models import Deployment, DeploymentStatus
from .process import public_process_q, vote_condition


class DeploymentFilter(RegistryFilterSet):
    """?country=US&region=OR&technology=face-recognition&vendor=<slug>&status=active&year=2018
    (each repeatable: region=OR&region=WA is either), q=<words>"""

    q = SearchFilter(
        fields=(
            "agency__name",
            "technology__name",
            "vendor__name",
            "product__name",
            "summary",
        ),
        related=((AgencyAlias.objects.all(), "agency", "name", "agency"),),
        help_text=_(
            "Words in the agency or its place, the technology, vendor, product, summary or status."
        ),
    )
    country = country_filter("agency__country")
    region = RegionFilter(prefix="agency__", options=agency_region_options)
    agency = record_filter(Agency.objects.published(), "agency", _("Agency"), ori=True)
    agency_kind = choice_filter(AgencyKind.choices, _("Agency kind"), field_name="agency__kind")
    technology = record_filter(
        Technology.objects.all(), "technology", _("Technology"), widget_kind="select"
    )
    vendor = VendorFamilyFilter()
    product = record_filter(Product.objects.published(), "product", _("Product"))
    status = choice_filter(DeploymentStatus.choices, _("Status"), field_name="status")
    year = year_filter("filter_active_in_year", help_text=_("In use at some time that year."))
    # What the charts' "started per year" counts (`year` is "in use that year", a different
    # number): a deployment whose start is unknown has no start year.
    start_year = year_filter(
        "filter_start_year",
        label=_("Started in year"),
        help_text=_("Began (or was proposed) that year."),
    )
    public_input = tri_state_filter(_("Public input"), field_name="public_input")
    use_policy = tri_state_filter(_("Use policy"), field_name="use_policy")
    vote = choice_filter(
        YesNoUnknown.choices,
        _("Council vote"),
        method="filter_vote",
        help_text=_(
            "Yes: a published council or board vote concerns it; no: its process is "
            "recorded, without a vote; unknown: not yet researched."
        ),
    )
    public_process = yes_no_filter(
        _("Public input, use policy or vote"),
        "filter_public_process",
        _("Public input before acquisition, a written use policy or a council vote."),
    )

    sort_options = {
        "-start": (_("Newest first"), "start_date"),
        "start": (_("Oldest first"), "start_date"),
        "agency": (_("Agency A–Z"), "agency__name"),
        "-agency": (_("Agency Z–A"), "agency__name"),
        "technology": (_("Technology"), "technology__name", "agency__name"),
        # Within a status, newest first: an order the list's index holds (by the agency's
        # name, each page sorted every matching deployment joined to its agency).
        "status": (_("Status"), "status", "-start_date"),
        "-updated": (_("Recently updated"), "updated_at"),
    }
    default_sort = "-start"

    class Meta:
        model = Deployment
        fields = []

    def filter_vote(self, queryset, name, answers):
        return queryset.filter(reduce(or_, (vote_condition(answer) for answer in answers)))

    def filter_public_process(self, queryset, name, answers):
        return yes_or_no(queryset, answers, public_process_q())

    def filter_start_year(self, queryset, name, years):
        return queryset.filter(start_date__year__in=years)

    def filter_active_in_year(self, queryset, name, years):
        return any_of(queryset, years, lambda qs, year: qs.active_in_year(year))
