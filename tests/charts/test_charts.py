"""The registry's charts (apps/charts) against known records: what each bar counts, that
each bar's link lists exactly that many records (through the list pages themselves), that
pending and withdrawn records are left out, that amounts in different currencies are never
added up, and that each chart is an accessible SVG image with its numbers as a table."""

import datetime
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.charts.selectors import ChartScope, page_charts
from apps.core.models import Visibility
from apps.core.partial_dates import DatePrecision
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    ProductFactory,
    VendorFactory,
    technology,
)

pytestmark = pytest.mark.django_db

ALPR = "automated-license-plate-readers"


def started(year):
    return {"start_date": datetime.date(year, 1, 1), "start_date_precision": DatePrecision.YEAR}


@pytest.fixture
def registry():
    """Deployments in Oregon, Washington and Ontario (Canada), of two technologies, by a
    parent company, its subsidiary and another vendor; contracts in USD and EUR; and records
    the public must not see."""
    portland = AgencyFactory(name="Portland Police", region="OR")
    salem = AgencyFactory(name="Salem Police", region="OR")
    seattle = AgencyFactory(name="Seattle Police", region="WA")
    toronto = AgencyFactory(name="Toronto Police", country="CA", region="ON")
    nowhere = AgencyFactory(name="Regionless Police", region="")
    parent = VendorFactory(name="Holding Company")
    subsidiary = VendorFactory(name="Cloud Subsidiary", parent=parent)
    other = VendorFactory(name="Plate Readers Inc")
    cloud_product = ProductFactory(vendor=subsidiary, name="Recognize")
    parent_product = ProductFactory(vendor=parent, name="Holding Faces")
    plates = ProductFactory(vendor=other, name="Plates")
    face, alpr = technology(), technology(ALPR)
    DeploymentFactory(agency=portland, product=cloud_product, technology=face, **started(2015))
    DeploymentFactory(agency=salem, product=cloud_product, technology=face, **started(2017))
    DeploymentFactory(agency=seattle, product=parent_product, technology=face, **started(2017))
    DeploymentFactory(agency=portland, product=plates, technology=alpr, **started(2019))
    DeploymentFactory(agency=toronto, product=plates, technology=alpr, **started(2019))
    DeploymentFactory(agency=nowhere, product=None, vendor=None, technology=alpr, start_date=None)
    # Not public: never counted.
    DeploymentFactory(agency=salem, product=plates, technology=alpr, visibility=Visibility.PENDING)
    DeploymentFactory(
        agency=seattle, product=plates, technology=face, visibility=Visibility.WITHDRAWN
    )

    def contract(amount, currency="USD", signed=None, start=None, **kwargs):
        return ContractFactory(
            amount=amount,
            currency=currency,
            signed_date=signed and datetime.date(signed, 3, 1),
            signed_date_precision=DatePrecision.MONTH if signed else "",
            start_date=start and datetime.date(start, 1, 1),
            start_date_precision=DatePrecision.YEAR if start else "",
            **kwargs,
        )

    contract("1000.00", signed=2017, agency=portland, vendor=subsidiary)
    contract("2500.50", signed=2017, agency=seattle, vendor=parent)
    contract("300.00", start=2019, agency=toronto, vendor=other)  # no signing date: its start
    contract("9999.00", "EUR", signed=2018, agency=toronto, vendor=other)
    contract("5000.00", "EUR", signed=2019, agency=portland, vendor=subsidiary)
    contract(None, signed=2018, agency=salem, vendor=other)  # amount not disclosed
    contract("70.00", agency=salem, vendor=other)  # no date at all
    contract("1000000.00", signed=2017, agency=salem, vendor=other, visibility=Visibility.PENDING)
    contract("2000000.00", signed=2017, agency=salem, vendor=other, visibility=Visibility.WITHDRAWN)
    return {"parent": parent, "subsidiary": subsidiary, "other": other}


def charts_of(response):
    return {chart.key: chart for chart in response.context["charts"]}


def values(chart):
    return {row.label: row.value for row in chart.rows}


def test_home_charts_count_published_records(client, registry):
    charts = charts_of(client.get("/"))
    assert values(charts["by-technology"]) == {
        "Face Recognition": 3,
        "Automated License Plate Readers": 3,
    }
    assert values(charts["by-region"]) == {"Oregon": 3, "Washington": 1, "Ontario, Canada": 1}
    # A parent company's bar includes its subsidiary's deployments, as the vendor filter does.
    assert values(charts["by-vendor"]) == {
        "Holding Company": 3,
        "Cloud Subsidiary": 2,
        "Plate Readers Inc": 2,
    }
    # Every year from the first to the last, the empty ones too; no start, no year.
    assert values(charts["started-per-year"]) == {
        "2015": 1,
        "2016": 0,
        "2017": 2,
        "2018": 0,
        "2019": 2,
    }


def test_contract_value_adds_up_one_currency_of_published_contracts(client, registry):
    chart = charts_of(client.get("/"))["contract-value"]
    # USD: 4 contracts with an amount (one undated) against EUR's 2; the pending and the
    # withdrawn millions are not there, nor is the undisclosed amount.
    assert chart.title == "Contract value per year (USD)"
    assert [(row.label, row.value, row.count) for row in chart.rows] == [
        ("2017", Decimal("3500.50"), 2),
        ("2018", Decimal(0), 0),
        ("2019", Decimal("300.00"), 1),
    ]
    assert [(row.label, row.value, row.count) for row in chart.others] == [
        ("EUR", Decimal("14999.00"), 2)
    ]
    assert "Amounts in USD only: amounts in different currencies are not added together." in (
        chart.notes
    )
    assert "1 contract in USD with no signing or start date is left out." in chart.notes


def test_the_most_common_currency_is_charted(client, registry):
    for year in (2020, 2021, 2022):
        ContractFactory(amount="10.00", currency="EUR", signed_date=datetime.date(year, 1, 1))
    chart = charts_of(client.get("/"))["contract-value"]
    assert chart.title == "Contract value per year (EUR)"
    assert [row.label for row in chart.others] == ["USD"]
    assert values(chart)["2018"] == Decimal("9999.00")


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["paginator"]


PAGES = {
    "home": lambda registry: "/",
    "technology": lambda registry: "/technologies/face-recognition/",
    "vendor": lambda registry: registry["parent"].get_absolute_url(),
    "region": lambda registry: "/regions/US/OR/",
}


@pytest.mark.parametrize("page", PAGES)
def test_every_bar_counts_the_list_it_links_to(client, registry, page):
    """The numbers on the page, bar by bar, against the lists' own pages."""
    response = client.get(PAGES[page](registry))
    checked = 0
    for chart in response.context["charts"]:
        for row in [*chart.rows, *chart.others]:
            assert row.url, (chart.key, row.label)
            paginator = listed(client, row.url)
            if chart.count_heading:  # an amount: the sum of the listed contracts' amounts
                assert paginator.count == row.count, (chart.key, row.label)
                assert sum(c.amount for c in paginator.object_list) == row.value
            else:
                assert paginator.count == row.value, (chart.key, row.label)
            checked += 1
    assert checked >= 5


def test_bars_link_with_the_page_filters_and_their_own(client, registry):
    charts = charts_of(client.get("/technologies/face-recognition/"))
    oregon = charts["by-region"].rows[0]
    assert oregon.url == "/deployments/?technology=face-recognition&country=US&region=OR"
    assert values(charts["by-region"]) == {"Oregon": 2, "Washington": 1}
    assert values(charts["started-per-year"]) == {"2015": 1, "2016": 0, "2017": 2}
    assert charts["started-per-year"].rows[0].url == (
        "/deployments/?technology=face-recognition&start_year=2015"
    )
    vendor = charts_of(client.get(registry["parent"].get_absolute_url()))
    # The parent company's page covers its subsidiary's records, as its lists do.
    assert values(vendor["by-technology"]) == {"Face Recognition": 3}
    assert [(r.label, r.value) for r in vendor["contract-value"].rows] == [
        ("2017", Decimal("3500.50"))
    ]
    assert [(r.label, r.count) for r in vendor["contract-value"].others] == [("EUR", 1)]
    assert vendor["contract-value"].rows[0].url == (
        f"/contracts/?vendor={registry['parent'].slug}&year=2017&currency=USD&has_amount=yes"
    )


def test_the_started_year_filter_is_not_the_in_use_year(client, registry):
    """`year` lists what was in use that year (started earlier too); the chart of starts
    links to `start_year`."""
    assert listed(client, "/deployments/?start_year=2017").count == 2
    assert listed(client, "/deployments/?year=2017").count == 3
    assert client.get("/deployments/?start_year=twenty").status_code == 400


FIGURE = re.compile(r'<figure class="chart" id="chart-([a-z-]+)">(.*?)</figure>', re.S)


def test_each_chart_is_an_accessible_svg_with_its_numbers_as_a_table(client, registry):
    content = client.get("/").content.decode()
    figures = dict(FIGURE.findall(content))
    assert set(figures) == {
        "by-technology",
        "by-region",
        "by-vendor",
        "started-per-year",
        "contract-value",
    }
    for key, figure in figures.items():
        assert f'role="group" aria-labelledby="chart-{key}-title chart-{key}-desc"' in figure, key
        assert re.search(rf'<title id="chart-{key}-title">[^<]+</title>', figure), key
        assert re.search(rf'<desc id="chart-{key}-desc">[^<]+</desc>', figure), key
        assert "<table>" in figure and "<details" in figure, key
        # No inline styles (a strict Content-Security-Policy is coming) and no script.
        assert "style=" not in figure and "<script" not in figure, key
        bars = figure.count('<rect class="chart-bar"')
        labels = figure.count('<text class="chart-label"')
        rows = figure.count('<tr><th scope="row">')
        tooltips = figure.count("<title>")  # the image's own title has an id
        assert bars == labels == rows == tooltips > 0, key
    region = figures["by-region"]
    assert "Oregon: 3; Ontario, Canada: 1; Washington: 1." in region
    assert (
        '<th scope="row">Oregon</th>'
        '<td class="num"><a href="/deployments/?country=US&amp;region=OR">3</a></td>' in region
    )
    assert "<title>3 deployments: Oregon</title>" in region
    money = figures["contract-value"]
    assert (
        '<th scope="row">2017</th><td class="num"><a href="/contracts/?year=2017&amp;currency=USD'
        '&amp;has_amount=yes">2</a></td><td class="num">3,500.50</td>' in money
    )
    assert "<title>2 contracts: 2017, Total value (USD) 3,500.50</title>" in money
    assert ">3,501</text>" in money
    assert "2 contracts in EUR</a>" in money


def test_a_registry_with_nothing_published_draws_no_bars(client):
    DeploymentFactory(visibility=Visibility.PENDING)
    ContractFactory(visibility=Visibility.PENDING)
    response = client.get("/")
    assert all(chart.rows == [] for chart in response.context["charts"])
    assert "<svg" not in response.content.decode()
    assert response.content.decode().count("None recorded yet.") == 5


def test_charts_of_many_names_show_the_largest(client, django_assert_num_queries):
    for index in range(18):
        DeploymentFactory.create_batch(
            1 + index % 3, product=ProductFactory(vendor=VendorFactory(name=f"Vendor {index:02}"))
        )
    chart = page_charts(ChartScope(), ("vendor",))[0]
    assert len(chart.rows) == 15 and chart.omitted == 3
    assert [row.value for row in chart.rows[:6]] == [3] * 6
    assert "15 largest are shown; 3 more have fewer." in client.get("/").content.decode()


def test_one_query_per_chart_however_many_records(django_assert_num_queries):
    def scope_charts():
        with django_assert_num_queries(6):  # one each, the vendors' parents for the vendor's
            page_charts(ChartScope())

    DeploymentFactory()
    ContractFactory()
    scope_charts()
    for year in range(2000, 2010):
        DeploymentFactory(
            agency=AgencyFactory(region="WA"),
            product=ProductFactory(vendor=VendorFactory()),
            **started(year),
        )
        ContractFactory(
            currency="EUR" if year % 2 else "USD", signed_date=datetime.date(year, 1, 1)
        )
    scope_charts()


def test_query_strings_of_bars_are_list_filters(client, registry):
    """Every parameter a bar's link carries is one of its list's filters (not ignored)."""
    for chart in client.get("/").context["charts"]:
        for row in chart.rows:
            response = client.get(row.url)
            assert not response.context["ignored_params"], row.url
            assert set(parse_qs(urlsplit(row.url).query)) <= set(
                response.context["filterset"].filters
            )


@pytest.mark.parametrize("page", PAGES)
def test_page_query_counts_do_not_grow_with_the_records(
    client, registry, page, django_assert_max_num_queries
):
    url = PAGES[page](registry)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for year in (2011, 2012, 2013):
        vendor = VendorFactory(parent=registry["other"])
        agency = AgencyFactory(region="OR")
        DeploymentFactory(agency=agency, product=ProductFactory(vendor=vendor), **started(year))
        DeploymentFactory(agency=agency, product=ProductFactory(vendor=registry["parent"]))
        ContractFactory(agency=agency, vendor=registry["parent"], currency="EUR")
    with django_assert_max_num_queries(len(before)):
        client.get(url)
