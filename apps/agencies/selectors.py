from django.db.models import Q

from apps.contracts.models import Contract, Nda
from apps.core.selectors import filter_list
from apps.core.timeline import build_timeline
from apps.deployments.models import Deployment
from apps.oversight.models import OversightEvent
from apps.records_requests.selectors import agency_requests
from apps.sources.models import published_sources

from .filters import AgencyFilter
from .models import Agency


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
        .prefetch_related("aliases", published_sources())
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
        "timeline": build_timeline(
            deployments=deployments,
            contracts=contracts,
            ndas=ndas + ndas_as_counterparty,
            records_requests=records_requests,
            oversight_events=oversight_events,
        ),
    }
