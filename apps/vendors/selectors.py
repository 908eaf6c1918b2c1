from django.db.models import Prefetch

from apps.contracts.models import Contract, Nda
from apps.core.selectors import filter_list
from apps.core.timeline import build_timeline
from apps.deployments.models import Deployment
from apps.sources.models import published_sources
from apps.technologies.models import Technology

from .filters import ProductFilter, VendorFilter
from .models import Product, Vendor


def vendor_list(*, params):
    return filter_list(
        filterset_class=VendorFilter,
        params=params,
        queryset=Vendor.objects.published().select_related("parent"),
    )


def product_list(*, params):
    return filter_list(
        filterset_class=ProductFilter,
        params=params,
        queryset=Product.objects.published()
        .select_related("vendor")
        .prefetch_related(Prefetch("technologies", queryset=Technology.objects.order_by("name"))),
    )


def vendor_profile(*, slug):
    """A vendor with its products, customers and agreements, as a dated timeline.

    A parent company's profile covers its subsidiaries' records too, as the `vendor` filter
    of every list does, so that each count here equals the list it links to; the template
    marks the records that are a subsidiary's ("via Amazon Web Services")."""
    vendor = (
        Vendor.objects.published()
        .select_related("parent")
        .prefetch_related("aliases", published_sources())
        .get(slug=slug)
    )
    family = vendor.family_ids()
    deployments = list(Deployment.objects.published().with_related().filter(vendor__in=family))
    contracts = list(Contract.objects.published().with_related().filter(vendor__in=family))
    ndas = list(Nda.objects.published().with_related().filter(counterparty_vendor__in=family))
    products = list(
        Product.objects.published()
        .filter(vendor__in=family)
        .select_related("vendor")
        .prefetch_related("technologies")
        .order_by("vendor__name", "name")
    )
    subsidiaries = list(Vendor.objects.published().filter(parent=vendor).order_by("name"))
    customers = sorted({deployment.agency for deployment in deployments}, key=lambda a: a.name)
    return {
        "vendor": vendor,
        "deployments": deployments,
        "contracts": contracts,
        "ndas": ndas,
        "products": products,
        "subsidiaries": subsidiaries,
        "customers": customers,
        "timeline": build_timeline(deployments=deployments, contracts=contracts, ndas=ndas),
    }


def product_detail(*, slug):
    product = (
        Product.objects.published()
        .select_related("vendor")
        .prefetch_related("technologies", published_sources())
        .get(slug=slug)
    )
    deployments = list(Deployment.objects.published().with_related().filter(product=product))
    contracts = list(Contract.objects.published().with_related().filter(products=product))
    return {
        "product": product,
        "deployments": deployments,
        "contracts": contracts,
        "timeline": build_timeline(deployments=deployments, contracts=contracts),
    }
