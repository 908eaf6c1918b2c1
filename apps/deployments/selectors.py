from apps.contracts.models import Contract, Nda
from apps.core.selectors import filter_list
from apps.core.timeline import build_timeline
from apps.oversight.selectors import deployment_process
from apps.records_requests.selectors import requests_citing_any

from .filters import DeploymentFilter
from .models import Deployment


def mark_agreements(deployments):
    """Sets what the list's markers show on each of `deployments` (a page of rows), in two
    queries however many rows:

    - `has_nda`: whether a published NDA covers the deployment (Nda.objects.covering_each,
      the rule the page's NDA section and the exports follow); the marker links to that
      section;
    - `has_contract`: whether a published contract covers the deployment.

    Read for the page's rows only, not in the list's query: there, PostgreSQL hashed every
    contract's links to answer the EXISTS for 50 rows (a cost growing with the table), and
    the exports and the API, which share the list's selector, paid for markers they do not
    show."""
    ids = [deployment.pk for deployment in deployments]
    if not ids:
        return
    with_nda = {pk for pk, _nda in Nda.objects.published().covering_each(ids)}
    with_contract = set(
        Contract.deployments.through.objects.filter(
            deployment__in=ids, contract__in=Contract.objects.published()
        ).values_list("deployment_id", flat=True)
    )
    for deployment in deployments:
        deployment.has_nda = deployment.pk in with_nda
        deployment.has_contract = deployment.pk in with_contract


def deployment_list(*, params):
    """Published deployments matching the list filters: the public page, exports, later the API."""
    return filter_list(
        filterset_class=DeploymentFilter,
        params=params,
        queryset=Deployment.objects.published().with_related(),
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
