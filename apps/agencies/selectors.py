from django.db.models import Q

from apps.contracts.models import Contract, Nda
from apps.core.selectors import filter_list
from apps.core.timeline import build_timeline
from apps.deployments.models import Deployment
from apps.oversight.models import OversightEvent
from apps.records_requests.selectors import agency_requests
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


def agency_profile(*, slug):
    """An agency with everything linked to it, as a dated timeline. Raises DoesNotExist."""
    agency = (
        Agency.objects.published()
        .select_related("parent")
        .prefetch_related("aliases", published_citations(Agency))
        .get(slug=slug)
    )
    deployments = list(Deployment.objects.published().with_related().filter(agency=agency))
    contracts = list(Contract.objects.published().with_related().filter(agency=agency))
    ndas = list(Nda.objects.published().with_related().filter(agency=agency))
    ndas_as_counterparty = list(
        Nda.objects.published().with_related().filter(counterparty_agency=agency)
    )
    children = list(Agency.objects.published().filter(parent=agency).order_by("name"))
    # Held by the agency, or about its deployments or contracts (a council's vote on them).
    oversight_events = list(
        OversightEvent.objects.published()
        .with_related()
        .filter(Q(agency=agency) | Q(deployments__agency=agency) | Q(contracts__agency=agency))
        .distinct()
    )
    records_requests = agency_requests(agency, ndas)
    return {
        "agency": agency,
        "deployments": deployments,
        "contracts": contracts,
        "ndas": ndas,
        "ndas_as_counterparty": ndas_as_counterparty,
        "children": children,
        "records_requests": records_requests,
        "oversight_events": oversight_events,
        "transparency": agency_transparency(agency),
        "timeline": build_timeline(
            deployments=deployments,
            contracts=contracts,
            ndas=ndas + ndas_as_counterparty,
            records_requests=records_requests,
            oversight_events=oversight_events,
        ),
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
