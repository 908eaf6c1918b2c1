"""An agency's transparency record: figures computed from the published records, never typed
in, shared by the agency page's section and the /agencies/transparency/ list.

The method is explained to the public at /agencies/transparency/method/
(templates/agencies/transparency_method.html); keep the two in step. In short, for each
agency and only over published records:

- its deployments: how many had public input before acquisition, a written use policy, a
  council vote (apps/deployments/process.py), and any of the three ("public process");
- its NDAs (as the bound agency): how many, and how many were used to withhold records
  (nda_withheld_condition);
- its records requests: how many were answered in full, in part, denied, answered "no
  responsive documents" (not a denial: the agency says it holds nothing), and the median
  days from filing to closing over the answered ones filed and closed on known days;
- its contracts: how many disclose an amount.

Every figure is computed for every agency at once, in a fixed number of grouped queries, and
kept in Django's cache under a fingerprint of the contributing tables (their latest change
and row counts, one query): any change to a record gives a new key, so the figures shown
are never older than the records, and `computed_at` says when they were computed."""

import datetime
import hashlib
import statistics
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from apps.contracts.models import Contract, Nda, nda_withheld_condition
from apps.core.figures import cached_figures, figures_cached
from apps.core.models import YesNoUnknown
from apps.deployments.models import Deployment
from apps.deployments.process import public_process_q, vote_condition
from apps.oversight.models import OversightEvent
from apps.records_requests.models import (
    OPEN_STATUSES,
    RecordsRequest,
    RequestStatus,
    days_known_q,
)

from .models import Agency

YES, UNKNOWN = YesNoUnknown.YES, YesNoUnknown.UNKNOWN

# The statuses that are the agency's answer. "Abandoned" is the requester giving up, not an
# answer: it counts in none of the figures (nor in the median days).
ANSWERED_STATUSES = (
    RequestStatus.FULFILLED,
    RequestStatus.PARTIALLY_FULFILLED,
    RequestStatus.DENIED,
    RequestStatus.NO_RESPONSIVE_DOCUMENTS,
)

# A backstop only: the fingerprint already changes with every write the site makes.
CACHE_SECONDS = 60 * 60
# Versioned: a deploy that changes Figures must not read the previous version's pickles.
CACHE_PREFIX = "agencies:transparency:v1:"


@dataclass
class Figures:
    """One agency's counts, as computed (and cached); AgencyTransparency presents them."""

    deployments: int = 0
    public_input: int = 0
    public_input_unknown: int = 0
    use_policy: int = 0
    use_policy_unknown: int = 0
    vote: int = 0
    vote_unknown: int = 0
    public_process: int = 0
    ndas: int = 0
    ndas_withheld: int = 0
    ndas_withheld_unknown: int = 0
    requests: dict = field(default_factory=dict)  # {status: count}
    median_days: float | None = None
    timed_requests: int = 0
    contracts: int = 0
    contracts_with_amount: int = 0

    def requests_with(self, *statuses):
        return sum(self.requests.get(status, 0) for status in statuses)

    @property
    def answered(self):
        return self.requests_with(*ANSWERED_STATUSES)


def share(part, whole):
    """part / whole, or None when there is nothing to count (a dash, not a zero)."""
    return part / whole if whole else None


# The list's sorts: key -> (label, value). None (nothing to count) sorts last either way.
SORT_FIGURES = {
    "public_process": (
        _("Public input, use policy or vote (share of deployments)"),
        lambda f: share(f.public_process, f.deployments),
    ),
    "public_input": (
        _("Public input (share of deployments)"),
        lambda f: share(f.public_input, f.deployments),
    ),
    "use_policy": (
        _("Use policy (share of deployments)"),
        lambda f: share(f.use_policy, f.deployments),
    ),
    "vote": (_("Council vote (share of deployments)"), lambda f: share(f.vote, f.deployments)),
    # Without a record, a count is a dash too: "no NDA recorded" is not "signed none".
    "deployments": (_("Deployments"), lambda f: f.deployments or None),
    "ndas": (_("NDAs signed"), lambda f: f.ndas or None),
    "ndas_withheld": (
        _("NDAs used to withhold records"),
        lambda f: f.ndas_withheld if f.ndas else None,
    ),
    "fulfilled": (
        _("Answered in full (share of answers)"),
        lambda f: share(f.requests.get(RequestStatus.FULFILLED, 0), f.answered),
    ),
    "denied": (
        _("Denied (share of answers)"),
        lambda f: share(f.requests.get(RequestStatus.DENIED, 0), f.answered),
    ),
    "median_days": (_("Median days to respond"), lambda f: f.median_days),
    "amounts": (
        _("Contracts disclosing an amount (share)"),
        lambda f: share(f.contracts_with_amount, f.contracts),
    ),
}


def sort_rows(rows, key):
    """`rows` (AgencyTransparency, in name order) sorted by the figure `key` ("-" first for
    the most first); agencies without the figure last, in name order. Python's sort is
    stable, reversed or not, so ties stay in name order."""
    descending = key.startswith("-")
    value = SORT_FIGURES[key.lstrip("-")][1]
    known = [row for row in rows if value(row.figures) is not None]
    missing = [row for row in rows if value(row.figures) is None]
    known.sort(key=lambda row: value(row.figures), reverse=descending)
    return known + missing


def compute_figures():
    """{agency id: Figures} for every agency with a published record, in five queries."""
    figures = {}

    def of(agency_id):
        return figures.setdefault(agency_id, Figures())

    # The annotations are named n_<figure>: an annotation named like a field (public_input)
    # would shadow it in the other annotations' filters.
    deployments = (
        Deployment.objects.published()
        .values("agency")
        .order_by()
        .annotate(
            n_deployments=Count("pk"),
            n_public_input=Count("pk", filter=Q(public_input=YES)),
            n_public_input_unknown=Count("pk", filter=Q(public_input=UNKNOWN)),
            n_use_policy=Count("pk", filter=Q(use_policy=YES)),
            n_use_policy_unknown=Count("pk", filter=Q(use_policy=UNKNOWN)),
            n_vote=Count("pk", filter=vote_condition(YES)),
            n_vote_unknown=Count("pk", filter=vote_condition(UNKNOWN)),
            n_public_process=Count("pk", filter=public_process_q()),
        )
    )
    for row in deployments:
        agency = of(row.pop("agency"))
        for name, count in row.items():
            setattr(agency, name.removeprefix("n_"), count)

    ndas = (
        Nda.objects.published()
        .values("agency")
        .order_by()
        .annotate(
            total=Count("pk"),
            withheld=Count("pk", filter=nda_withheld_condition(YES)),
            withheld_unknown=Count("pk", filter=nda_withheld_condition(UNKNOWN)),
        )
    )
    for row in ndas:
        agency = of(row["agency"])
        agency.ndas = row["total"]
        agency.ndas_withheld = row["withheld"]
        agency.ndas_withheld_unknown = row["withheld_unknown"]

    by_status = (
        RecordsRequest.objects.published()
        .values("agency", "status")
        .order_by()
        .annotate(total=Count("pk"))
    )
    for row in by_status:
        of(row["agency"]).requests[row["status"]] = row["total"]

    days = {}
    for agency_id, filed, closed in answered_on_known_days().values_list(
        "agency", "filed_date", "closed_date"
    ):
        days.setdefault(agency_id, []).append((closed - filed).days)
    for agency_id, spans in days.items():
        agency = of(agency_id)
        agency.median_days = statistics.median(spans)
        agency.timed_requests = len(spans)

    contracts = (
        Contract.objects.published()
        .values("agency")
        .order_by()
        .annotate(total=Count("pk"), with_amount=Count("pk", filter=Q(amount__isnull=False)))
    )
    for row in contracts:
        agency = of(row["agency"])
        agency.contracts = row["total"]
        agency.contracts_with_amount = row["with_amount"]
    return figures


def answered_on_known_days():
    """The published requests the median counts: answered, filed and closed on known days."""
    return RecordsRequest.objects.published().filter(days_known_q(), status__in=ANSWERED_STATUSES)


# The tables the figures are computed from; OversightEvent.deployments and
# RecordsRequest.ndas_cited are links that change without their records' updated_at.
def _contributing_tables():
    models = (Agency, Deployment, OversightEvent, Nda, RecordsRequest, Contract)
    links = (OversightEvent.deployments.through, RecordsRequest.ndas_cited.through)
    return [(m._meta.db_table, "updated_at") for m in models] + [
        (m._meta.db_table, m._meta.pk.column) for m in links
    ]


def fingerprint():
    """A short key that changes whenever a contributing record is added, changed, withdrawn
    or deleted: the latest change (or id) and the row count of each table, in one query
    (raw SQL: the ORM cannot select from several unrelated tables in one statement)."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT MAX({quote(column)}) FROM {quote(table)}), (SELECT COUNT(*) FROM {quote(table)})"  # nosec B608 # table and column names from the models, quoted
        for table, column in _contributing_tables()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")  # noqa: S608 - table names from the models
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:32]


@dataclass
class Computed:
    figures: dict
    computed_at: datetime.datetime


def transparency_figures():
    """Every agency's Figures and when they were computed: from the cache when no
    contributing record changed since, else computed now (and cached). With the page cache
    on, its publication generation says what changed (apps/core/figures.py); without it, a
    fingerprint of the contributing tables (which reads their row counts: a cost that grows
    with them)."""
    if figures_cached():
        return cached_figures(
            "transparency",
            lambda: Computed(figures=compute_figures(), computed_at=timezone.now()),
        )
    key = CACHE_PREFIX + fingerprint()
    computed = cache.get(key)
    if computed is None:
        computed = Computed(figures=compute_figures(), computed_at=timezone.now())
        cache.set(key, computed, CACHE_SECONDS)
    return computed


@dataclass(frozen=True)
class Figure:
    """One figure as shown: `count` records of `total` (None: nothing to count, a dash),
    `url` the list of exactly those records; `unknown` records that cannot say, listed at
    `unknown_url`."""

    label: str
    count: int | None
    total: int = 0
    url: str = ""
    unknown: int = 0
    unknown_url: str = ""
    unknown_label: str = pgettext_lazy("transparency figure", "unknown")

    @property
    def percent(self):
        ratio = share(self.count or 0, self.total)
        return None if ratio is None else round(100 * ratio)


def list_url(name, agency, **params):
    """The public list `name` filtered to `agency`'s records and `params` (a list value is
    a repeated parameter)."""
    query = urlencode({"agency": agency.slug, **params}, doseq=True)
    return f"{reverse(name)}?{query}"


@dataclass
class AgencyTransparency:
    """An agency's figures as its page section and the list's row show them."""

    agency: Agency
    figures: Figures
    computed_at: datetime.datetime

    def _deployment_figure(self, label, count, param, value, unknown=None):
        f, agency = self.figures, self.agency
        if not f.deployments:
            return Figure(label, None)
        return Figure(
            label,
            count,
            f.deployments,
            list_url("deployments:list", agency, **{param: value}),
            unknown or 0,
            list_url("deployments:list", agency, **{param: UNKNOWN}) if unknown else "",
            gettext("not yet researched")
            if param == "vote"
            else pgettext("transparency figure", "unknown"),
        )

    @property
    def deployment_figures(self):
        f = self.figures
        return [
            self._deployment_figure(
                gettext("Public input before acquisition"),
                f.public_input,
                "public_input",
                YES,
                f.public_input_unknown,
            ),
            self._deployment_figure(
                gettext("Written use policy"), f.use_policy, "use_policy", YES, f.use_policy_unknown
            ),
            self._deployment_figure(gettext("Council vote"), f.vote, "vote", YES, f.vote_unknown),
            self._deployment_figure(
                gettext("Any of the three (public process)"),
                f.public_process,
                "public_process",
                "yes",
            ),
        ]

    @property
    def public_process(self):
        return self.deployment_figures[-1]

    @property
    def nda_figures(self):
        f, agency = self.figures, self.agency
        if not f.ndas:
            return [Figure(gettext("Used to withhold records"), None)]
        return [
            Figure(
                gettext("Used to withhold records"),
                f.ndas_withheld,
                f.ndas,
                list_url("ndas:list", agency, withheld_records=YES),
                f.ndas_withheld_unknown,
                list_url("ndas:list", agency, withheld_records=UNKNOWN),
            )
        ]

    @property
    def ndas_url(self):
        return list_url("ndas:list", self.agency)

    def _request_figure(self, label, statuses, unknown=0, unknown_url=""):
        f = self.figures
        return Figure(
            label,
            f.requests_with(*statuses),
            f.answered,
            list_url("records-requests:list", self.agency, status=list(statuses)),
            unknown,
            unknown_url,
            pgettext("records requests", "still open"),
        )

    @property
    def request_figures(self):
        f = self.figures
        if not f.answered:
            return []
        return [
            self._request_figure(gettext("Answered in full"), [RequestStatus.FULFILLED]),
            self._request_figure(gettext("Answered in part"), [RequestStatus.PARTIALLY_FULFILLED]),
            self._request_figure(pgettext("records requests", "Denied"), [RequestStatus.DENIED]),
            self._request_figure(
                gettext("No responsive documents"), [RequestStatus.NO_RESPONSIVE_DOCUMENTS]
            ),
        ]

    @property
    def requests_total(self):
        return sum(self.figures.requests.values())

    @property
    def requests_url(self):
        return list_url("records-requests:list", self.agency)

    @property
    def open_requests(self):
        return self.figures.requests_with(*OPEN_STATUSES)

    @property
    def open_requests_url(self):
        return list_url("records-requests:list", self.agency, status=list(OPEN_STATUSES))

    @property
    def median_days(self):
        return self.figures.median_days

    @property
    def timed_url(self):
        return list_url(
            "records-requests:list",
            self.agency,
            status=list(ANSWERED_STATUSES),
            days_known="yes",
            sort="days",
        )

    @property
    def untimed(self):
        return self.figures.answered - self.figures.timed_requests

    @property
    def untimed_url(self):
        return list_url(
            "records-requests:list", self.agency, status=list(ANSWERED_STATUSES), days_known="no"
        )

    @property
    def amount_figure(self):
        f, agency = self.figures, self.agency
        if not f.contracts:
            return Figure(gettext("Disclose an amount"), None)
        return Figure(
            gettext("Disclose an amount"),
            f.contracts_with_amount,
            f.contracts,
            list_url("contracts:list", agency, has_amount="yes"),
            f.contracts - f.contracts_with_amount,
            list_url("contracts:list", agency, has_amount="no"),
            gettext("without an amount"),
        )


def agency_transparency(agency, computed=None):
    """`agency`'s AgencyTransparency (empty figures when it has no published record)."""
    computed = computed or transparency_figures()
    return AgencyTransparency(
        agency, computed.figures.get(agency.pk) or Figures(), computed.computed_at
    )
