"""Reads shared by every list: a FilterSet applied to a base queryset."""

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass
class FilteredList:
    """The outcome of applying a list's query-string filters.

    `queryset` is None when a filter value is invalid: callers show `errors` instead of
    silently ignoring the bad filter (which would show more rows than asked for)."""

    filterset: object
    queryset: QuerySet | None

    @property
    def is_valid(self):
        return self.queryset is not None

    @property
    def errors(self):
        """[(parameter label, message)] for every invalid parameter."""
        form = self.filterset.form
        return [
            (form.fields[name].label if name in form.fields else name, message)
            for name, messages in form.errors.items()
            for message in messages
        ]


def filter_list(*, filterset_class, params, queryset):
    # Always bound, even to no parameters, so that the default sort order applies.
    filterset = filterset_class(params if params is not None else {}, queryset=queryset)
    if not filterset.is_valid():
        return FilteredList(filterset, None)
    return FilteredList(filterset, filterset.qs)


def registry_overview(*, recent=10):
    """What the home page shows: counts of published records per kind, the newest
    deployments and the technologies with their counts."""
    from django.db.models import Count, Q

    from apps.agencies.models import Agency
    from apps.contracts.models import Contract, Nda
    from apps.deployments.models import Deployment
    from apps.sources.models import Source
    from apps.technologies.models import Technology
    from apps.vendors.models import Product, Vendor

    counts = [
        ("Deployments", "deployments:list", Deployment.objects.published().count()),
        ("Agencies", "agencies:list", Agency.objects.published().count()),
        ("Vendors", "vendors:list", Vendor.objects.published().count()),
        ("Products", "products:list", Product.objects.published().count()),
        ("Contracts", "contracts:list", Contract.objects.published().count()),
        ("NDAs", "ndas:list", Nda.objects.published().count()),
        ("Sources", "sources:list", Source.objects.published().count()),
    ]
    technologies = Technology.objects.annotate(
        deployment_count=Count("deployments", filter=Q(deployments__visibility="published"))
    ).order_by("-deployment_count", "name")
    recent_deployments = (
        Deployment.objects.published().with_related().order_by("-created_at", "-pk")[:recent]
    )
    return {
        "counts": counts,
        "technologies": technologies,
        "recent_deployments": recent_deployments,
    }
