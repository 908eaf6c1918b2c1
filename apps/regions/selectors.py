"""What the region pages read, through the kinds' list selectors (apps/charts ChartScope), so
that each count here is the count of the list it links to."""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Upper
from django.urls import reverse

from apps.charts.selectors import ChartScope, deployment_counts_by_region, page_charts
from apps.core.models import country_name, published_through
from apps.core.places import region_by_code


@dataclass(frozen=True)
class RegionRow:
    region: object  # apps.core.places.Region
    country_name: str
    agency_count: int
    deployment_count: int
    agencies_url: str
    deployments_url: str

    @property
    def url(self):
        return region_url(self.region)


def region_url(region):
    return reverse("regions:detail", args=[region.country, region.code])


def region_list():
    """Every region with published agencies, by country and name, with how many agencies
    and deployments each has (two grouped queries)."""
    scope = ChartScope()
    agencies = (
        scope.published("agencies")
        .exclude(region="")
        .values("country", code=Upper("region"))
        .annotate(count=Count("pk"))
    )
    deployments = deployment_counts_by_region(scope)
    rows = []
    for row in agencies:
        region = region_by_code(row["country"], row["code"])
        if region is None:  # a code no ISO 3166-2 region has: no page, no filter takes it
            continue
        place = {"country": region.country, "region": region.code}
        rows.append(
            RegionRow(
                region=region,
                country_name=country_name(region.country),
                agency_count=row["count"],
                deployment_count=deployments.get((row["country"], row["code"]), 0),
                agencies_url=scope.list_url("agencies", **place),
                deployments_url=scope.list_url("deployments", **place),
            )
        )
    return sorted(rows, key=lambda row: (row.country_name, row.region.name))


def region_detail(region):
    """One region's agencies (each with its published deployments), its counts and its
    charts."""
    scope = ChartScope({"country": region.country, "region": region.code})
    agencies = list(
        scope.published("agencies")
        .annotate(deployment_count=Count("deployments", filter=published_through("deployments")))
        .order_by("name", "pk")
    )
    return {
        "region": region,
        "country_name": country_name(region.country),
        "agencies": agencies,
        "deployment_count": sum(agency.deployment_count for agency in agencies),
        "contract_count": scope.contracts.count(),
        "agencies_url": scope.list_url("agencies"),
        "deployments_url": scope.list_url("deployments"),
        "contracts_url": scope.list_url("contracts"),
        "charts": page_charts(scope, ("technology", "vendor", "started", "contract_value")),
    }
