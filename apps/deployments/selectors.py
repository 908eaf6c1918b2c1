from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, Subquery

from apps.contracts.models import Contract, Nda
from apps.core.selectors import filter_list

from .filters import DeploymentFilter
from .models import NDA_COVERING_VENDOR_PATHS, Deployment


def with_agreement_markers(queryset):
    """Adds what the list's markers need, inside the list's own query (so the page's query
    count does not grow with its rows):

    - `nda_counterparty`: the slug of the counterparty of a published NDA that covers the
      deployment (NDA_COVERING_VENDOR_PATHS: an NDA with Amazon binds what Amazon Web
      Services sells); the marker links to /ndas/?agency=…&counterparty=<slug>, which lists
      at least that NDA;
    - `has_contract`: whether a published contract covers the deployment."""
    ndas = (
        Nda.objects.published()
        .filter(agency=OuterRef("agency"))
        .filter(
            reduce(
                or_, (Q(counterparty_vendor=OuterRef(path)) for path in NDA_COVERING_VENDOR_PATHS)
            )
        )
        .order_by("pk")
        .values("counterparty_vendor__slug")[:1]
    )
    contracts = Contract.objects.published().filter(deployments=OuterRef("pk"))
    return queryset.annotate(nda_counterparty=Subquery(ndas), has_contract=Exists(contracts))


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
    return {"deployment": deployment, "contracts": contracts}
