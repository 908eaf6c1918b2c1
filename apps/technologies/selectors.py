from collections import Counter

from django.db.models import Count

from apps.core.models import published_through, region_name
from apps.core.selectors import filter_list
from apps.deployments.models import Deployment
from apps.vendors.models import Vendor

from .filters import TechnologyFilter
from .models import Technology


def technology_list(*, params):
    """The technologies matching the list filters, each with how many published deployments
    and agencies it has (the counts the list shows and sorts by)."""
    published = published_through("deployments")
    return filter_list(
        filterset_class=TechnologyFilter,
        params=params,
        queryset=Technology.objects.annotate(
            deployment_count=Count("deployments", filter=published),
            agency_count=Count("deployments__agency", filter=published, distinct=True),
        ),
    )


def technology_detail(*, slug, recent=25):
    """Where a technology is deployed and by which vendors: counts by status, region and
    vendor, and the most recent deployments."""
    technology = Technology.objects.get(slug=slug)
    deployments = Deployment.objects.published().filter(technology=technology)
    by_status = list(deployments.values("status").annotate(count=Count("pk")).order_by("-count"))
    status_labels = dict(Deployment._meta.get_field("status").choices)
    for row in by_status:
        row["label"] = status_labels.get(row["status"], row["status"])
    by_region = list(
        deployments.values("agency__country", "agency__region")
        .annotate(count=Count("pk"))
        .order_by("-count", "agency__region")
    )
    for row in by_region:
        row["region_name"] = region_name(row["agency__country"], row["agency__region"])
    by_vendor = _by_vendor_family(deployments)
    latest = list(deployments.with_related().order_by("-start_date", "-pk")[:recent])
    return {
        "technology": technology,
        "deployment_count": sum(row["count"] for row in by_status),
        "by_status": by_status,
        "by_region": by_region,
        "by_vendor": by_vendor,
        "latest": latest,
    }


def _by_vendor_family(deployments):
    """[{name, slug, count, direct}] per vendor, where `count` includes the vendor's
    subsidiaries' deployments, as the `vendor` filter its link uses does (so the number equals
    the list), and `direct` only its own. A parent company with no deployment of its own is
    listed too when a subsidiary has some."""
    direct = dict(
        deployments.exclude(vendor__isnull=True)
        .values("vendor")
        .annotate(count=Count("pk"))
        .values_list("vendor", "count")
    )
    parent_of = dict(Vendor.objects.values_list("pk", "parent_id"))
    totals = Counter()
    for vendor_id, count in direct.items():
        seen = set()
        while vendor_id is not None and vendor_id not in seen:  # seen: a cycle cannot hang
            seen.add(vendor_id)
            totals[vendor_id] += count
            vendor_id = parent_of.get(vendor_id)
    rows = [
        {"name": name, "slug": slug, "count": totals[pk], "direct": direct.get(pk, 0)}
        for pk, name, slug in Vendor.objects.published()
        .filter(pk__in=totals)
        .values_list("pk", "name", "slug")
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["name"]))
