"""What the home page reads. Home is a top-layer app: the counts come from the registry of
kinds, so a new kind shows there by registering; the technologies and the newest deployments
are read from their apps' models directly."""

from django.db.models import Count
from django.utils.text import capfirst

from apps.charts.selectors import ChartScope, page_charts
from apps.core.figures import cached_figures
from apps.core.models import published_through
from apps.deployments.models import Deployment
from apps.records.registry import publishable_kinds
from apps.technologies.models import Technology


def kind_counts():
    """[(label, list URL name, count of published records)] for every publishable kind with
    a public list, in the registry's order. Plain strings, not lazy ones: kept in the
    figures cache, which pickles them."""
    return [
        (str(capfirst(kind.plural)), kind.list_url_name, kind.model.objects.published().count())
        for kind in publishable_kinds()
        if kind.list_selector
    ]


def technology_counts():
    """Every technology with its number of published deployments (`deployment_count`), the
    most deployed first."""
    return list(
        Technology.objects.annotate(
            deployment_count=Count("deployments", filter=published_through("deployments"))
        ).order_by("-deployment_count", "name")
    )


def registry_overview(*, recent=10):
    """What the home page shows: counts of published records per kind, the newest
    deployments, the technologies with their counts, and the registry's charts. The counts
    and charts read every published record: computed once per change (apps/core/figures.py)."""
    recent_deployments = (
        Deployment.objects.published().with_related().order_by("-created_at", "-pk")[:recent]
    )
    return {
        "counts": cached_figures("home:counts", kind_counts),
        "technologies": cached_figures("home:technologies", technology_counts),
        "recent_deployments": recent_deployments,
        "charts": page_charts(ChartScope()),
    }
