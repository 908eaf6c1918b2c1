from django.db.models import F, Q

from apps.contracts.models import Contract, Nda
from apps.core.selectors import filter_list
from apps.core.timeline import TimelineSource, timeline_page
from apps.deployments.models import Deployment
from apps.oversight.models import OversightEvent, concerning
from apps.records_requests.models import RecordsRequest
from apps.records_requests.selectors import agency_requests, citing_requests
from apps.sources.models import published_citations

from .filters import AgencyFilter, TransparencyFilter
from .models import Agency
from .transparency import agency_transparency, sort_rows, transparency_figures


def agency_list(*, params):
    return filter_list(
        filterset_class=AgencyFilter,
        params=params,
        queryset=Agency.objects.published().select_related("parent"),
    )


def agency_timeline(agency):
    """The sources of an agency's timeline (TimelineSource, apps/core/timeline.py): its
    deployments, contracts, NDAs (signed by it or with it), records requests, and the
    oversight events it held or that were about its deployments or contracts (a council's
    vote on them)."""
    events = OversightEvent.objects.published().filter(
        Q(agency=agency)
        | concerning(
            Deployment.objects.filter(agency=agency), Contract.objects.filter(agency=agency)
        )
    )
    return [
        TimelineSource(
            "deployment", Deployment.objects.published().with_related().filter(agency=agency)
        ),
        TimelineSource(
            "contract", Contract.objects.published().with_related().filter(agency=agency)
        ),
        TimelineSource(
            "nda",
            Nda.objects.published()
            .with_related()
            .filter(Q(agency=agency) | Q(counterparty_agency=agency)),
        ),
        TimelineSource(
            "records-request",
            RecordsRequest.objects.published().for_timeline().filter(agency=agency),
        ),
        TimelineSource("oversight", events.with_related()),
    ]


def agency_profile(*, slug, timeline=None):
    """An agency, how many records of each kind it has, one page of its dated timeline
    (`timeline`: the page's position, see timeline_page), its records requests and its
    NDAs. A fixed number of queries however many records it has. Raises DoesNotExist, and
    TimelineCursorError for a position this site did not write."""
    agency = (
        Agency.objects.published()
        .select_related("parent")
        .prefetch_related("aliases", published_citations(Agency))
        .get(slug=slug)
    )
    page = timeline_page(agency_timeline(agency), cursor=timeline)
    request_count, recent_requests = agency_requests(agency)
    published = {
        "deployments": Deployment.objects.published().filter(agency=agency),
        "contracts": Contract.objects.published().filter(agency=agency),
        "ndas": Nda.objects.published().filter(agency=agency),
        "ndas_as_counterparty": Nda.objects.published().filter(counterparty_agency=agency),
    }
    return {
        "agency": agency,
        "counts": {name: queryset.count() for name, queryset in published.items()},
        "ndas": list(
            published["ndas"]
            .select_related("counterparty_vendor", "counterparty_agency")
            .prefetch_related(citing_requests(agency))
            .order_by(F("signed_date").desc(nulls_last=True), "pk")
        ),
        "children": list(Agency.objects.published().filter(parent=agency).order_by("name")),
        "request_count": request_count,
        "records_requests": recent_requests,
        "transparency": agency_transparency(agency),
        "timeline": page.items,
        "timeline_page": page,
    }


def transparency_list(*, params):
    """Published agencies matching the filters, each as an AgencyTransparency, sorted: a
    FilteredList whose `queryset` is a list. Two queries however many agencies it holds
    (the agencies, the figures' fingerprint), and five more when the figures are not cached;
    sorting and paging are in Python over the figures."""
    result = filter_list(
        filterset_class=TransparencyFilter,
        params=params,
        # Every matching agency is read (the figures sort them), so only what a row shows.
        queryset=Agency.objects.published().only("name", "slug", "country", "region", "locality"),
    )
    if not result.is_valid:
        return result
    computed = transparency_figures()
    rows = [agency_transparency(agency, computed) for agency in result.queryset]
    key = result.filterset.figure_sort
    result.queryset = sort_rows(rows, key) if key else rows
    return result
