from django.db.models import Count, Q

from apps.core.models import region_name
from apps.deployments.models import Deployment

from .models import Technology


def technology_list():
    """Every technology with how many published deployments and agencies it has."""
    published = Q(deployments__visibility="published")
    return Technology.objects.annotate(
        deployment_count=Count("deployments", filter=published),
        agency_count=Count("deployments__agency", filter=published, distinct=True),
    ).order_by("name")


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
    by_vendor = list(
        deployments.exclude(vendor__isnull=True)
        .values("vendor__name", "vendor__slug")
        .annotate(count=Count("pk"))
        .order_by("-count", "vendor__name")
    )
    latest = list(deployments.with_related().order_by("-start_date", "-pk")[:recent])
    return {
        "technology": technology,
        "deployment_count": sum(row["count"] for row in by_status),
        "by_status": by_status,
        "by_region": by_region,
        "by_vendor": by_vendor,
        "latest": latest,
    }
