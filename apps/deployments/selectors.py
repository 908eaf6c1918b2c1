from apps.core.selectors import filter_list

from .filters import DeploymentFilter
from .models import Deployment


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
    return {"deployment": deployment, "contracts": contracts}
