"""The numbers behind the registry's charts, read through the kinds' own list selectors (from
the registry of kinds), so that "published" and every filter mean here what they mean on the
lists: each bar links to the list its number counts, with the page's filters (its scope) and
the bar's, and the list shows that many records.

One grouped query per chart (the vendor chart also reads the vendors' parents once), plus
resolving the scope's filters once per kind, whatever the number of records."""

from collections import Counter
from decimal import Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractYear, Upper
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.charts import BarChart, ChartRow
from apps.core.figures import cached_figures
from apps.core.models import DEFAULT_COUNTRY, Visibility, country_name
from apps.core.places import region_by_code
from apps.records.registry import get_kind

TOP = 15  # bars in a chart of names (vendors, regions, technologies): the largest


class ChartScope:
    """The list filters a page's charts share: {} on the home page, {"technology": slug} on a
    technology's page, {"vendor": slug}, {"country": "US", "region": "OR"}."""

    def __init__(self, params=None):
        self.params = dict(params or {})

    def published(self, kind_key):
        """The published records of a kind that its list shows under the scope's filters,
        unordered (an ORDER BY would split the groups)."""
        result = get_kind(kind_key).list_selector_function(
            params=QueryDict(urlencode(self.params), mutable=False)
        )
        if not result.is_valid:
            # The scope is written by the page from a record it found, never typed.
            raise ValueError(f"Invalid chart scope {self.params}: {result.errors}")
        return result.queryset.order_by()

    @cached_property
    def deployments(self):
        return self.published("deployments")

    @cached_property
    def contracts(self):
        return self.published("contracts")

    def list_url(self, kind_key, **filters):
        """The kind's list under the scope's filters and `filters`."""
        query = urlencode({**self.params, **filters})
        return f"{reverse(get_kind(kind_key).list_url_name)}?{query}"


def _largest(chart, rows):
    chart.rows, chart.omitted = rows[:TOP], max(len(rows) - TOP, 0)
    return chart


def deployments_by_technology(scope):
    grouped = (
        scope.deployments.values("technology__slug", "technology__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "technology__name")
    )
    rows = [
        ChartRow(
            row["technology__name"],
            row["count"],
            scope.list_url("deployments", technology=row["technology__slug"]),
        )
        for row in grouped
    ]
    chart = BarChart(
        key="by-technology",
        title=_("Deployments by technology"),
        description=_("Published deployments of each technology."),
        label_heading=_("Technology"),
        value_heading=_("Deployments"),
    )
    return _largest(chart, rows)


def region_label(country, code):
    """ "Oregon" in the registry's default country, "Ontario, Canada" elsewhere; None when the
    stored code names no ISO 3166-2 region (no list filter would take it)."""
    region = region_by_code(country, code)
    if region is None:
        return None
    return region.name if country == DEFAULT_COUNTRY else f"{region.name}, {country_name(country)}"


def deployment_counts_by_region(scope):
    """{(country, region code): published deployments of the scope whose agency is there},
    the largest first; agencies with no region recorded are left out (no list filter
    selects "no region")."""
    grouped = (
        scope.deployments.exclude(agency__region="")
        .values("agency__country", code=Upper("agency__region"))
        .annotate(count=Count("pk"))
        .order_by("-count", "agency__country", "code")
    )
    return {(row["agency__country"], row["code"]): row["count"] for row in grouped}


def deployments_by_region(scope):
    rows = []
    for (country, code), count in deployment_counts_by_region(scope).items():
        label = region_label(country, code)
        url = scope.list_url("deployments", country=country, region=code) if label else ""
        rows.append(ChartRow(label or f"{code} ({country})", count, url))
    chart = BarChart(
        key="by-region",
        title=_("Deployments by region"),
        description=_("Published deployments by the state or region of the agency using them."),
        label_heading=_("Region"),
        value_heading=_("Deployments"),
        notes=[_("Agencies whose region is not recorded are left out.")],
    )
    return _largest(chart, rows)


def deployments_by_vendor(scope):
    """Each vendor's deployments with its subsidiaries', as the lists' `vendor` filter counts
    them (so a bar equals the list it links to): a parent company's bar includes its
    subsidiaries' deployments, and a parent with none of its own is shown too."""
    direct = dict(
        scope.deployments.exclude(vendor__isnull=True)
        .values("vendor")
        .annotate(count=Count("pk"))
        .values_list("vendor", "count")
    )
    vendors = {
        pk: (parent_id, name, slug, visibility)
        for pk, parent_id, name, slug, visibility in get_kind("vendors")
        .model.objects.order_by()
        .values_list("pk", "parent_id", "name", "slug", "visibility")
    }
    totals = Counter()
    for vendor_id, count in direct.items():
        seen = set()
        current = vendor_id
        while current is not None and current not in seen:  # seen: a cycle cannot hang
            seen.add(current)
            totals[current] += count
            current = vendors[current][0] if current in vendors else None
    rows = sorted(
        (
            ChartRow(name, totals[pk], scope.list_url("deployments", vendor=slug))
            for pk, (_parent, name, slug, visibility) in vendors.items()
            if pk in totals and visibility == Visibility.PUBLISHED
        ),
        key=lambda row: (-row.value, row.label),
    )
    chart = BarChart(
        key="by-vendor",
        title=_("Deployments by vendor"),
        description=_("Published deployments of each vendor's products."),
        label_heading=_("Vendor"),
        value_heading=_("Deployments"),
    )
    if any(totals[pk] != direct.get(pk, 0) for pk in totals):
        chart.notes.append(
            _(
                "A parent company's bar includes its subsidiaries' deployments, as the vendor "
                "filter of the list does."
            )
        )
    return _largest(chart, rows)


def _every_year(values_by_year, empty):
    """Each year from the first to the last, those with nothing included: a gap in the
    years would hide that nothing happened then."""
    if not values_by_year:
        return []
    years = range(min(values_by_year), max(values_by_year) + 1)
    return [(year, values_by_year.get(year, empty)) for year in years]


def deployments_started_per_year(scope):
    counts = dict(
        scope.deployments.exclude(start_date__isnull=True)
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(count=Count("pk"))
        .values_list("year", "count")
    )
    return BarChart(
        key="started-per-year",
        title=_("Deployments started per year"),
        description=_("Published deployments by the year they began (or were proposed)."),
        label_heading=_("Year"),
        value_heading=_("Deployments started"),
        notes=[_("Deployments whose start is not known are left out.")],
        rows=[
            ChartRow(str(year), count, scope.list_url("deployments", start_year=year))
            for year, count in _every_year(counts, 0)
        ],
    )


def _main_currency(counts):
    """The currency most contracts with an amount are in (the registry's default, USD, when
    tied)."""
    return min(counts, key=lambda code: (-counts[code], code != "USD", code))


def contract_value_per_year(scope):
    """The sum of the amounts of the contracts signed each year (or started, when the
    signing date is unknown: the contracts list's `year` filter), in one currency: amounts in
    different currencies are never added. The chart is of the currency most contracts are
    in; the others are listed with their own totals and links."""
    grouped = (
        scope.contracts.filter(amount__isnull=False)
        .annotate(year=Coalesce(ExtractYear("signed_date"), ExtractYear("start_date")))
        .values("year", "currency")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by()
    )
    by_currency = {}
    for row in grouped:
        by_currency.setdefault(row["currency"], {})[row["year"]] = (row["total"], row["count"])
    chart = BarChart(
        key="contract-value",
        title=_("Contract value per year"),
        description=_("Total amount of the published contracts signed each year."),
        label_heading=_("Year"),
        value_heading=_("Total value"),
        count_heading=_("Contracts"),
        notes=[_("Contracts whose amount is not disclosed are left out.")],
    )
    if not by_currency:
        return chart
    counts = Counter(
        {code: sum(n for _t, n in years.values()) for code, years in by_currency.items()}
    )
    currency = _main_currency(counts)
    dated = {year: value for year, value in by_currency[currency].items() if year is not None}
    chart.title = _("Contract value per year (%(currency)s)") % {"currency": currency}
    chart.value_heading = _("Total value (%(currency)s)") % {"currency": currency}
    chart.description = _(
        "Total amount in %(currency)s of the published contracts signed (or started) each year."
    ) % {"currency": currency}
    chart.rows = [
        ChartRow(
            str(year),
            total,
            scope.list_url("contracts", year=year, currency=currency, has_amount="yes"),
            count=count,
        )
        for year, (total, count) in _every_year(dated, (Decimal(0), 0))
    ]
    chart.notes.insert(
        0,
        _("Amounts in %(currency)s only: amounts in different currencies are not added together.")
        % {"currency": currency},
    )
    undated = by_currency[currency].get(None, (0, 0))[1]
    if undated:
        chart.notes.append(
            ngettext(
                "%(count)s contract in %(currency)s with no signing or start date is left out.",
                "%(count)s contracts in %(currency)s with no signing or start date are left out.",
                undated,
            )
            % {"count": undated, "currency": currency}
        )
    # Every contract with an amount in each other currency, dated or not: what its link lists.
    chart.others = [
        ChartRow(
            code,
            sum(total for total, _n in by_currency[code].values()),
            scope.list_url("contracts", currency=code, has_amount="yes"),
            count=counts[code],
        )
        for code in sorted(by_currency, key=lambda code: (-counts[code], code))
        if code != currency
    ]
    return chart


CHARTS = {
    "technology": deployments_by_technology,
    "region": deployments_by_region,
    "vendor": deployments_by_vendor,
    "started": deployments_started_per_year,
    "contract_value": contract_value_per_year,
}


def page_charts(scope, names=tuple(CHARTS)):
    """The charts `names` (keys of CHARTS) for a page whose lists are filtered by `scope`,
    computed once per change of the published data (apps/core/figures.py)."""
    key = f"charts:{urlencode(sorted(scope.params.items()))}:{','.join(names)}"
    return cached_figures(key, lambda: [CHARTS[name](scope) for name in names])
