from django.db.models import Count

from apps.charts.selectors import ChartScope, page_charts
from apps.core.figures import cached_figures
from apps.core.models import published_through
from apps.core.selectors import filter_list
from apps.deployments.models import Deployment

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


def counts_by_status(deployments):
    """[{status, count}] of `deployments`, the most common status first."""
    return list(deployments.values("status").annotate(count=Count("pk")).order_by("-count"))


def with_status_labels(by_status):
    """`by_status` rows with each status's label, in the language of the request: added
    after the cache, which holds the counts only."""
    status_labels = dict(Deployment._meta.get_field("status").choices)
    return [{**row, "label": status_labels.get(row["status"], row["status"])} for row in by_status]


def technology_detail(*, slug, recent=25):
    """Where a technology is deployed and by which vendors: counts by status, charts by
    region, vendor and start year (each bar the count of the list it links to), and the most
    recent deployments."""
    technology = Technology.objects.get(slug=slug)
    deployments = Deployment.objects.published().filter(technology=technology)
    by_status = with_status_labels(
        cached_figures(f"technology:{slug}:by-status", lambda: counts_by_status(deployments))
    )
    latest = list(deployments.with_related().order_by("-start_date", "-pk")[:recent])
    return {
        "technology": technology,
        "deployment_count": sum(row["count"] for row in by_status),
        "by_status": by_status,
        # No contract chart: contracts have no technology of their own, and the contracts
        # list no technology filter a bar could link to.
        "charts": page_charts(
            ChartScope({"technology": technology.slug}), ("region", "vendor", "started")
        ),
        "latest": latest,
    }
