from django.db.models import Prefetch, Q

from apps.charts.selectors import ChartScope, page_charts
from apps.contracts.models import Contract, Nda
from apps.core.selectors import filter_list
from apps.core.timeline import build_timeline
from apps.deployments.models import Deployment
from apps.oversight.models import OversightEvent
from apps.records_requests.selectors import requests_citing_any
from apps.sources.models import published_citations
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
    """A vendor with its products, customers and agreements, as a dated timeline (which
    adds the oversight events about its deployments and contracts, and the records requests
    that cited its NDAs).

    A parent company's profile covers its subsidiaries' records too, as the `vendor` filter
    of every list does, so that each count here equals the list it links to; the template
    marks the records that are a subsidiary's ("via Amazon Web Services")."""
    vendor = (
        Vendor.objects.published()
        .select_related("parent")
        .prefetch_related("aliases", published_citations(Vendor))
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
    # The public process around the family's published deployments and contracts, and the
    # records requests in which the family's published NDAs were cited: subqueries, so that
    # the page's query count does not grow with the vendor's records.
    oversight_events = list(
        OversightEvent.objects.published()
        .with_related()
        .filter(
            Q(deployments__in=Deployment.objects.published().filter(vendor__in=family))
            | Q(contracts__in=Contract.objects.published().filter(vendor__in=family))
        )
        .distinct()
    )
    records_requests = requests_citing_any(
        Nda.objects.published().filter(counterparty_vendor__in=family)
    )
    # The family's charts, through the lists' `vendor` filter (subsidiaries included, as here).
    charts = page_charts(
        ChartScope({"vendor": vendor.slug}), ("technology", "region", "started", "contract_value")
    )
    return {
        "vendor": vendor,
        "charts": charts,
        "deployments": deployments,
        "contracts": contracts,
        "ndas": ndas,
        "products": products,
        "subsidiaries": subsidiaries,
        "customers": customers,
        "timeline": build_timeline(
            deployments=deployments,
            contracts=contracts,
            ndas=ndas,
            records_requests=records_requests,
            oversight_events=oversight_events,
        ),
    }


def product_detail(*, slug):
    product = (
        Product.objects.published()
        .select_related("vendor")
        .prefetch_related("technologies", published_citations(Product))
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
