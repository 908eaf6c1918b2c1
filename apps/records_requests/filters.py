import datetime

from django.db.models import (
    Case,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from apps.agencies.models import Agency, AgencyAlias
from apps.agencies.regions import agency_region_options
from apps.contracts.models import Nda
from apps.core.filters import (
    RegionFilter,
    RegistryFilterSet,
    SearchFilter,
    choice_filter,
    country_filter,
    record_filter,
    year_filter,
    yes_no_filter,
    yes_or_no,
)
from apps.sources.models import Source

from .models import (
    RecordsRequest,
    RequestStatus,
    ResponseDeadline,
    days_known_q,
    overdue_q,
)


def days_elapsed():
    """Days open (to today) of an open request, days to close of a closed one, as a database
    expression for sorting; NULL when a date it needs is not known to the day (the same rule
    as RecordsRequest.days_elapsed). Built per query: "today" changes."""
    today = Value(datetime.date.today())
    span = ExpressionWrapper(
        Coalesce(F("closed_date"), today) - F("filed_date"), output_field=DurationField()
    )
    return Case(When(days_known_q(), then=span), default=None, output_field=DurationField())


class RecordsRequestFilter(RegistryFilterSet):
    """?agency=<slug>&region=WA&status=denied&cited_nda=yes&overdue=yes&year=2019"""

    q = SearchFilter(
        fields=("subject", "requester", "exemptions", "outcome", "agency__name"),
        related=((AgencyAlias.objects.all(), "agency", "name", "agency"),),
        help_text=_("Words in the subject, requester, exemptions, outcome or agency."),
    )
    agency = record_filter(Agency.objects.published(), "agency", _("Agency"), ori=True)
    country = country_filter("agency__country")
    region = RegionFilter(prefix="agency__", options=agency_region_options)
    status = choice_filter(RequestStatus.choices, _("Status"), field_name="status")
    requester = SearchFilter(
        fields=("requester",),
        label=_("Requester"),
        help_text=_("Words in the requester's name."),
        indexed=False,
    )
    year = year_filter("filter_year", label=_("Year filed"))
    cited_nda = yes_no_filter(
        _("Cited an NDA"), "filter_cited_nda", _("The agency cited an NDA to withhold records.")
    )
    released_documents = yes_no_filter(_("Has released documents"), "filter_released_documents")
    days_known = yes_no_filter(
        _("Days known"),
        "filter_days_known",
        _("Its days open (or to close) can be counted: filed, and closed if it is, on known days."),
    )
    overdue = yes_no_filter(
        _("Overdue"),
        "filter_overdue",
        _(
            "Not answered at all (submitted) past the legal response deadline of the agency's "
            "jurisdiction."
        ),
    )

    sort_options = {
        "-filed": (_("Newest first"), "filed_date"),
        "filed": (_("Oldest first"), "filed_date"),
        "-days": (_("Longest open (or to close) first"), "days"),
        "days": (_("Shortest open (or to close) first"), "days"),
        "status": (_("Status"), "status"),
    }
    default_sort = "-filed"

    class Meta:
        model = RecordsRequest
        fields = []

    def filter_year(self, queryset, name, years):
        return queryset.filter(filed_date__year__in=years)

    def filter_cited_nda(self, queryset, name, answers):
        cited = Nda.objects.published().filter(records_requests=OuterRef("pk"))
        return yes_or_no(queryset, answers, Q(Exists(cited)))

    def filter_released_documents(self, queryset, name, answers):
        released = Source.objects.published().filter(released_by_requests=OuterRef("pk"))
        return yes_or_no(queryset, answers, Q(Exists(released)))

    def filter_days_known(self, queryset, name, answers):
        return yes_or_no(queryset, answers, days_known_q())

    def filter_overdue(self, queryset, name, answers):
        return yes_or_no(queryset, answers, overdue_q())

    def filter_queryset(self, queryset):
        key = self.form.cleaned_data.get("sort") or self.default_sort
        if key.lstrip("-") == "days":
            queryset = queryset.annotate(days=days_elapsed())
        return super().filter_queryset(queryset)


class ResponseDeadlineFilter(RegistryFilterSet):
    """?country=US&region=WA"""

    q = SearchFilter(
        fields=("statute", "notes"), help_text=_("Words in the statute or notes."), indexed=False
    )
    country = country_filter("country")
    region = RegionFilter(options=agency_region_options)

    sort_options = {"place": (_("Place"), "country", "region"), "days": (_("Fewest days"), "days")}
    default_sort = "place"

    class Meta:
        model = ResponseDeadline
        fields = []
