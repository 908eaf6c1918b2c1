"""What the demo tests count, before and after a load."""

from apps.agencies.models import Agency, AgencyAlias
from apps.contracts.models import Contract, Nda
from apps.demo.loader import VERSIONED
from apps.deployments.models import Deployment
from apps.oversight.models import OversightEvent
from apps.records_requests.models import RecordsRequest, ResponseDeadline
from apps.sources.models import Source
from apps.vendors.models import Product, Vendor, VendorAlias

CITING_MODELS = [
    Agency,
    Vendor,
    Product,
    Deployment,
    Contract,
    Nda,
    ResponseDeadline,
    RecordsRequest,
    OversightEvent,
]
COUNTED_MODELS = [
    Source,
    Agency,
    AgencyAlias,
    Vendor,
    VendorAlias,
    Product,
    Deployment,
    Contract,
    Nda,
    Product.technologies.through,
    Contract.products.through,
    Contract.deployments.through,
    RecordsRequest.ndas_cited.through,
    RecordsRequest.released_documents.through,
    OversightEvent.deployments.through,
    OversightEvent.contracts.through,
    *(model.sources.through for model in CITING_MODELS),
]


def row_counts():
    return {model._meta.label: model.objects.count() for model in COUNTED_MODELS}


def version_counts():
    return {model._meta.label: model.history.count() for model in VERSIONED}
