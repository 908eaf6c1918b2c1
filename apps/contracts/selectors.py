from apps.core.selectors import filter_list
from apps.oversight.selectors import chronological

from .filters import ContractFilter, NdaFilter
from .models import Contract, Nda


def contract_list(*, params):
    return filter_list(
        filterset_class=ContractFilter,
        params=params,
        queryset=Contract.objects.published().with_related(),
    )


def nda_list(*, params):
    return filter_list(
        filterset_class=NdaFilter, params=params, queryset=Nda.objects.published().with_related()
    )


def contract_detail(*, pk):
    contract = (
        Contract.objects.published().with_related().prefetch_related("products__vendor").get(pk=pk)
    )
    deployments = list(
        contract.deployments.published().select_related("agency", "technology").order_by("pk")
    )
    oversight_events = chronological(contract.oversight_events.published().select_related("agency"))
    return {"contract": contract, "deployments": deployments, "oversight_events": oversight_events}


def nda_detail(*, pk):
    nda = Nda.objects.published().with_related().get(pk=pk)
    # The published records requests it was cited in, and what they withheld.
    citing_requests = list(
        nda.records_requests.published().select_related("agency").order_by("-filed_date", "pk")
    )
    return {"nda": nda, "citing_requests": citing_requests}
