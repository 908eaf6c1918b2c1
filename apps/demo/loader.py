"""`load_demo_data()`: the motivating case (case.py) and the generated records (plan.py,
written by writer.py), in one transaction, through the write gateway. Safe to run again:
only what is missing is created, and a second load writes no version."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.agencies.models import Agency, AgencyAlias
from apps.contracts.models import Contract, Nda
from apps.deployments.models import Deployment
from apps.oversight.models import OversightEvent
from apps.records.search import indexing_deferred
from apps.records_requests.models import RecordsRequest, ResponseDeadline
from apps.sources.models import Source
from apps.technologies.models import Technology
from apps.vendors.models import Product, Vendor, VendorAlias

from . import DemoDataError
from .case import CASE_TECHNOLOGIES, load_motivating_case
from .plan import TECHNOLOGY_SLUGS, build_plan
from .writer import Writer

COUNTED = [
    ("sources", Source),
    ("agencies", Agency),
    ("agency aliases", AgencyAlias),
    ("vendors", Vendor),
    ("vendor aliases", VendorAlias),
    ("products", Product),
    ("deployments", Deployment),
    ("contracts", Contract),
    ("ndas", Nda),
    ("response deadlines", ResponseDeadline),
    ("records requests", RecordsRequest),
    ("oversight events", OversightEvent),
]

# The models with a history.
VERSIONED = [
    Source,
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


def _technologies(slugs):
    """{slug: Technology} for `slugs`, the taxonomy the demo data needs."""
    found = {t.slug: t for t in Technology.objects.filter(slug__in=slugs)}
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise DemoDataError(
            "These technologies are missing from the taxonomy: "
            + ", ".join(missing)
            + ". Run `manage.py migrate` (it seeds them) or add them in the admin."
        )
    return found


def _version_count():
    return sum(model.history.count() for model in VERSIONED)


@dataclass
class LoadResult:
    created: dict[str, int]
    totals: dict[str, int]
    versions: int = 0  # history versions written: one per record this load created or completed


def load_demo_data():
    """Load the motivating case and the generated records, in one transaction. Returns what
    was created and the new totals. DemoDataError when the database is not ready for them,
    or when they would break a publication rule there (nothing is written then)."""
    # The search index is written once, in bulk, at the end (not once per save).
    with transaction.atomic(), indexing_deferred():
        counts_before = {label: model.objects.count() for label, model in COUNTED}
        versions_before = _version_count()
        technologies = _technologies([*CASE_TECHNOLOGIES, *TECHNOLOGY_SLUGS])
        plan = build_plan({slug: technologies[slug].name for slug in TECHNOLOGY_SLUGS})
        try:
            load_motivating_case(technologies)
            Writer(plan, technologies).write()
        except ValidationError as exc:
            raise DemoDataError(
                "The demo data would break the publication rules: " + " ".join(exc.messages)
            ) from exc
        versions = _version_count() - versions_before
        totals = {label: model.objects.count() for label, model in COUNTED}
    created = {label: totals[label] - counts_before[label] for label in totals}
    return LoadResult(created=created, totals=totals, versions=versions)
