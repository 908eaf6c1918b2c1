from django.db.models import Exists, OuterRef

from apps.contracts.models import Contract, Nda
from apps.core.selectors import filter_list
from apps.core.timeline import build_timeline
from apps.oversight.selectors import deployment_process
from apps.records_requests.selectors import requests_citing_any

from .filters import DeploymentFilter
from .models import Deployment


def with_agreement_markers(queryset):
    """Adds what the list's markers need, inside the list's own query (so the page's query
    count does not grow with its rows):

    - `has_nda`: whether a published NDA covers the deployment (Nda.objects.covering, the
      rule the page's NDA section and the exports follow); the marker links to that section;
    - `has_contract`: whether a published contract covers the deployment."""
    ndas = Nda.objects.published().covering(OuterRef("pk"))
    contracts = Contract.objects.published().filter(deployments=OuterRef("pk"))
    return queryset.annotate(has_nda=Exists(ndas), has_contract=Exists(contracts))


def deployment_list(*, params):
    """Published deployments matching the list filters: the public page, exports, later the API."""
    return filter_list(
        filterset_class=DeploymentFilter,
        params=params,
        queryset=with_agreement_markers(Deployment.objects.published().with_related()),
    )


def deployment_detail(*, pk):
    deployment = (
        Deployment.objects.published().with_related().select_related("use_policy_source").get(pk=pk)
    )
    contracts = list(deployment.contracts.published().with_related())
    ndas = list(
        Nda.objects.published().covering(deployment).with_related().order_by("-signed_date", "pk")
    )
    process = deployment_process(deployment)
    # Requests in which an NDA covering the deployment was cited: what it kept secret.
    records_requests = requests_citing_any(ndas)
    return {
        "deployment": deployment,
        "contracts": contracts,
        "ndas": ndas,
        "process": process,
        "timeline": build_timeline(
            deployment_span=deployment,
            contracts=contracts,
            ndas=ndas,
            records_requests=records_requests,
            oversight_events=process.events,
        ),
    }
