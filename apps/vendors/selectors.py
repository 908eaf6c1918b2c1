from django.db.models import Count, Prefetch

from apps.agencies.models import Agency
from apps.charts.selectors import ChartScope, page_charts
from apps.contracts.models import Contract, Nda
from apps.core.figures import cached_figures
from apps.core.selectors import filter_list
from apps.core.timeline import TimelineSource, timeline_page
from apps.deployments.models import Deployment
from apps.oversight.models import OversightEvent, concerning
from apps.records_requests.models import RecordsRequest
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


def vendor_timeline(family):
    """The sources of the timeline of a vendor and its subsidiaries (`family`, their ids):
    their deployments, contracts and NDAs, the oversight events about those deployments and
    contracts, and the records requests in which those NDAs were cited. Subqueries, so that
    the page's query count does not grow with the vendor's records."""
    deployments = Deployment.objects.published().filter(vendor__in=family)
    contracts = Contract.objects.published().filter(vendor__in=family)
    ndas = Nda.objects.published().filter(counterparty_vendor__in=family)
    events = OversightEvent.objects.published().filter(concerning(deployments, contracts))
    requests = RecordsRequest.objects.published().filter(
        pk__in=RecordsRequest.ndas_cited.through.objects.filter(nda__in=ndas).values(
            "recordsrequest"
        )
    )
    return [
        TimelineSource("deployment", deployments.with_related()),
        TimelineSource("contract", contracts.with_related()),
        TimelineSource("nda", ndas.with_related()),
        TimelineSource("records-request", requests.for_timeline()),
        TimelineSource("oversight", events.with_related()),
    ]


def vendor_profile(*, slug, timeline=None, top_customers=20):
    """A vendor with its products, how many records and customers it has, its largest
    customers, its charts and one page of its dated timeline (`timeline`: the page's
    position, see apps/core/timeline.py timeline_page). A fixed number of queries however
    many records it has. Raises DoesNotExist, and TimelineCursorError for a position this
    site did not write.

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
    deployments = Deployment.objects.published().filter(vendor__in=family)
    products = list(
        Product.objects.published()
        .filter(vendor__in=family)
        .select_related("vendor")
        .prefetch_related("technologies")
        .order_by("vendor__name", "name")
    )
    customers = (
        Agency.objects.published()
        .filter(deployments__in=deployments)
        .annotate(deployment_count=Count("deployments"))
    )
    page = timeline_page(vendor_timeline(family), cursor=timeline)
    # The family's charts, through the lists' `vendor` filter (subsidiaries included, as here).
    charts = page_charts(
        ChartScope({"vendor": vendor.slug}), ("technology", "region", "started", "contract_value")
    )
    # A big vendor's counts group a good share of every deployment: once per change.
    counts, largest_customers = cached_figures(
        f"vendor:{vendor.pk}:counts",
        lambda: (
            {
                "deployments": deployments.count(),
                "customers": deployments.values("agency").distinct().count(),
                "contracts": Contract.objects.published().filter(vendor__in=family).count(),
                "ndas": Nda.objects.published().filter(counterparty_vendor__in=family).count(),
            },
            list(customers.order_by("-deployment_count", "name")[:top_customers]),
        ),
    )
    return {
        "vendor": vendor,
        "charts": charts,
        "counts": counts,
        "products": products,
        "subsidiaries": list(Vendor.objects.published().filter(parent=vendor).order_by("name")),
        "customers": largest_customers,
        "timeline": page.items,
        "timeline_page": page,
    }


def product_detail(*, slug, timeline=None):
    """A product, how many published deployments and contracts name it, and one page of its
    timeline of them (`timeline`: see vendor_profile)."""
    product = (
        Product.objects.published()
        .select_related("vendor")
        .prefetch_related("technologies", published_citations(Product))
        .get(slug=slug)
    )
    deployments = Deployment.objects.published().filter(product=product)
    contracts = Contract.objects.published().filter(products=product)
    page = timeline_page(
        [
            TimelineSource("deployment", deployments.with_related()),
            TimelineSource("contract", contracts.with_related()),
        ],
        cursor=timeline,
    )
    return {
        "product": product,
        "counts": {"deployments": deployments.count(), "contracts": contracts.count()},
        "timeline": page.items,
        "timeline_page": page,
    }
