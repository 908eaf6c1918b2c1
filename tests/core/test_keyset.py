"""Keyset pagination of the deployment, contract and agency lists (apps/core/pagination.py):
Next and Previous by the position of a row, every sort, NULL keys, damaged cursors, and
counts that say when they are estimates."""

import base64
import datetime
import html
import json
import re

import pytest
from django.db.models import F
from django.http import QueryDict

from apps.contracts.filters import ContractFilter
from apps.core import pagination
from apps.core.models import Visibility
from apps.core.pagination import KeysetPaginator, ListCount
from apps.deployments.filters import DeploymentFilter
from apps.deployments.models import Deployment, DeploymentStatus
from apps.deployments.selectors import deployment_list
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    ProductFactory,
    SourceFactory,
    VendorFactory,
    technology,
)

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'<a href="\?([^"]*)" rel="next">')
PREVIOUS = re.compile(r'<a href="\?([^"]*)" rel="prev">')


def link(pattern, response):
    found = pattern.search(response.content.decode())
    return html.unescape(found.group(1)) if found else None


def rows(response):
    return [row.pk for row in response.context["object_list"]]


def walk(client, url, query="", between=lambda: None):
    """Every page of a list from the first, following Next; `between` runs before each next
    page is loaded (records inserted or published meanwhile). [[pk, ...] per page]."""
    pages, params = [], query
    while params is not None:
        response = client.get(f"{url}?{params}")
        assert response.status_code == 200, response.content.decode()[:2000]
        pages.append(rows(response))
        params = link(NEXT, response)
        between()
    return pages


DATES = [
    datetime.date(2019, 5, 1),
    datetime.date(2017, 1, 1),
    datetime.date(2017, 1, 1),  # a tie, broken by the primary key
    None,  # unknown: last whichever way dates sort
    datetime.date(2021, 3, 1),
    None,
    datetime.date(2017, 1, 1),
    datetime.date(2015, 8, 1),
]
STATUSES = [DeploymentStatus.ACTIVE, DeploymentStatus.PILOT, DeploymentStatus.DISCONTINUED]


@pytest.fixture
def small_pages(settings):
    settings.LIST_PAGE_SIZE = 3


@pytest.fixture
def deployments(db):
    product, source = ProductFactory(), SourceFactory()
    agencies = [AgencyFactory(name=name, sources=[source]) for name in ("Zeta", "Alpha", "Mu")]
    made = []
    for index, start in enumerate(DATES):
        made.append(
            DeploymentFactory(
                agency=agencies[index % 3],
                product=product,
                technology=technology("drones" if index % 2 else "face-recognition"),
                status=STATUSES[index % 3],
                start_date=start,
                start_date_precision="year" if start else "",
                sources=[source],
            )
        )
    return made


def inserting(agency, product):
    """Between page loads, a new deployment at each end of every order, and the one left
    pending last time published: rows that appear meanwhile must not repeat or hide others.
    Only before the first three pages: rows added ahead every time would make it endless."""
    calls = []

    def between():
        calls.append(1)
        if len(calls) > 3:
            return
        Deployment.objects.filter(visibility=Visibility.PENDING).update(
            visibility=Visibility.PUBLISHED
        )
        for start in (datetime.date(2030, 1, 1), datetime.date(1990, 1, 1), None):
            DeploymentFactory(
                agency=agency,
                product=product,
                start_date=start,
                start_date_precision="year" if start else "",
                sources=[],
            )
        waiting = DeploymentFactory(agency=agency, product=product, sources=[])
        Deployment.objects.filter(pk=waiting.pk).update(visibility=Visibility.PENDING)

    return between


@pytest.mark.parametrize("sort", list(DeploymentFilter.sort_options))
def test_walking_the_deployments_shows_every_row_once_while_rows_are_added(
    client, small_pages, deployments, sort
):
    agency, product = deployments[0].agency, deployments[0].product
    before = {d.pk for d in deployments}
    pages = walk(client, "/deployments/", f"sort={sort}", inserting(agency, product))
    seen = [pk for page in pages for pk in page]
    assert len(seen) == len(set(seen)), f"a row repeated: {pages}"
    assert before <= set(seen), f"a row skipped: {pages}"
    assert len(pages) > 2


@pytest.mark.parametrize("sort", list(DeploymentFilter.sort_options))
def test_pages_follow_the_sort_and_previous_leads_back(client, small_pages, deployments, sort):
    everything = client.get("/deployments/", {"sort": sort, "page": "1"})
    whole = list(deployment_list(params=QueryDict(f"sort={sort}")).queryset)
    pages = walk(client, "/deployments/", f"sort={sort}")
    assert [pk for page in pages for pk in page] == [d.pk for d in whole]
    assert everything.status_code == 200
    # Back from the last page, Previous by Previous, the same pages in reverse.
    response = client.get(f"/deployments/?sort={sort}")
    while (params := link(NEXT, response)) is not None:
        response = client.get(f"/deployments/?{params}")
    backwards = [rows(response)]
    while (params := link(PREVIOUS, response)) is not None:
        response = client.get(f"/deployments/?{params}")
        backwards.append(rows(response))
    assert backwards[::-1] == pages


def test_unknown_dates_come_last_both_ways_and_a_page_can_start_among_them(
    client, settings, deployments
):
    settings.LIST_PAGE_SIZE = 1
    unknown = {d.pk for d in deployments if d.start_date is None}
    for sort in ("-start", "start"):
        pages = walk(client, "/deployments/", f"sort={sort}")
        assert {pk for page in pages[-2:] for pk in page} == unknown
        assert sorted(pk for page in pages[-2:] for pk in page) == [p for [p] in pages[-2:]]


def test_a_null_key_is_null_in_the_cursor_and_seeking_past_it_works(deployments):
    """A sort on a nullable column kept as it is (no COALESCE): the cursor holds null and
    the rows after it are the other NULLs with a greater primary key."""
    queryset = Deployment.objects.published()
    ordering = [F("end_date").asc(nulls_last=True), F("pk").asc()]
    Deployment.objects.filter(pk=deployments[1].pk).update(end_date=datetime.date(2020, 1, 1))
    paginator = KeysetPaginator(queryset, ordering, 2, "test")
    assert paginator.keys[0].nullable
    walked, params = [], QueryDict("")
    while True:
        page, error, _status = paginator.page_for(params)
        assert error is None
        walked += [row.pk for row in page.object_list]
        if not page.has_next:
            break
        cursor = page.next_cursor
        params = QueryDict(f"after={cursor}")
    assert walked[0] == deployments[1].pk  # the one known end date first
    assert walked[1:] == sorted(d.pk for d in deployments if d.pk != deployments[1].pk)
    decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    assert decoded[:2] == ["test", None]
    # And back: before a NULL position come the other NULLs, then the known dates.
    page, _error, _status = paginator.page_for(QueryDict(f"before={cursor}"))
    position = walked.index(decoded[2])
    assert [row.pk for row in page.object_list] == walked[position - 2 : position]


@pytest.mark.parametrize("sort", list(ContractFilter.sort_options))
def test_walking_the_contracts_with_every_sort(client, small_pages, sort):
    vendors = [VendorFactory(name=name) for name in ("B Corp", "A Corp")]
    made = [
        ContractFactory(
            vendor=vendors[index % 2],
            amount=amount,
            currency=currency,
            signed_date=signed,
            signed_date_precision="month" if signed else "",
        )
        for index, (amount, currency, signed) in enumerate(
            [
                ("100.00", "USD", datetime.date(2019, 1, 1)),
                (None, "USD", None),
                ("100.00", "EUR", datetime.date(2017, 6, 1)),
                ("5.00", "USD", datetime.date(2017, 6, 1)),
                (None, "EUR", datetime.date(2016, 6, 1)),
                ("7000.00", "USD", None),
                ("100.00", "USD", datetime.date(2018, 6, 1)),
            ]
        )
    ]
    added = []

    def between():
        if len(added) < 3:
            added.append(ContractFactory(signed_date=None, vendor=vendors[0]))

    pages = walk(client, "/contracts/", f"sort={sort}", between)
    seen = [pk for page in pages for pk in page]
    assert len(seen) == len(set(seen))
    assert {c.pk for c in made} <= set(seen)


@pytest.mark.parametrize("sort", ["name", "-name", "region", "-updated"])
def test_walking_the_agencies_with_every_sort(client, small_pages, sort):
    made = [
        AgencyFactory(name=name, region=region)
        for name, region in [
            ("Bend Police", "OR"),
            ("Aurora Police", "CO"),
            ("Bend Police", "OR"),  # same name, same region: the primary key decides
            ("Seattle Police", "WA"),
            ("Eugene Police", "OR"),
            ("Denver Police", "CO"),
            ("Tacoma Police", "WA"),
        ]
    ]
    added = []

    def between():
        if len(added) < 3:
            added.append(AgencyFactory(name="Aaron"))

    pages = walk(client, "/agencies/", f"sort={sort}", between)
    seen = [pk for page in pages for pk in page]
    assert len(seen) == len(set(seen))
    assert {a.pk for a in made} <= set(seen)


def cursor_of(*values):
    raw = json.dumps(list(values)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "params",
    [
        {"after": "not a cursor!"},
        {"after": "%%%"},
        {"before": "bm9wZQ"},  # base64 of "nope"
        {"after": cursor_of("-start", "2019-01-01")},  # a key missing
        {"after": cursor_of("start", "2019-01-01", 4)},  # another sort's cursor
        {"after": cursor_of("-start", "the first of May", 4)},
        {"after": cursor_of("-start", "2019-01-01", "four")},
        {"after": cursor_of("-start", ["2019"], 4)},
        {"after": cursor_of("-start", "2019-01-01", 4), "before": "x"},
        {"page": "21"},  # deeper than LIST_MAX_PAGE_NUMBER (20 by default)
    ],
)
def test_a_damaged_cursor_is_a_400_that_says_so(client, deployments, params):
    response = client.get("/deployments/", params)
    assert response.status_code == 400
    content = response.content.decode()
    assert "This list could not be filtered" in content
    assert "Page position" in content or "Pages are numbered up to 20" in content


def test_repeated_cursor_is_a_400(client, deployments):
    response = client.get("/deployments/?after=a&after=b")
    assert response.status_code == 400


def test_a_valid_cursor_from_another_list_or_sort_never_500s(client, deployments):
    first = client.get("/deployments/", {"sort": "agency"})
    cursor = first.context["page_obj"].next_cursor
    for url, sort in [("/contracts/", "vendor"), ("/agencies/", "name"), ("/deployments/", "")]:
        assert client.get(url, {"sort": sort, "after": cursor}).status_code == 400


def test_links_keep_the_filters_and_drop_the_old_position(client, small_pages, deployments):
    first = client.get("/deployments/", {"sort": "start", "technology": "drones"})
    next_params = QueryDict(link(NEXT, first))
    assert next_params["sort"] == "start" and next_params["technology"] == "drones"
    second = client.get("/deployments/", next_params)
    content = second.content.decode()
    assert 'rel="prev"' in content and 'rel="first"' in content
    assert "Showing 1 more of 4 deployments." in content  # 4 drones, 3 on page one
    # A change of filter from the second page starts again: no cursor in the chips' links.
    assert "after=" not in "".join(url for _l, _v, url in second.context["active_filters"])
    assert "after=" not in link(PREVIOUS, second).replace("before=", "")
    assert 'rel="next"' not in content
    assert 'rel="prev"' not in first.content.decode()


def test_a_cursor_page_costs_the_queries_of_the_first(
    client, small_pages, deployments, django_assert_num_queries
):
    # As pinned in tests/deployments/test_views.py: count, rows, sources, markers,
    # suggestions.
    first = client.get("/deployments/")
    with django_assert_num_queries(10):
        client.get(f"/deployments/?{link(NEXT, first)}")


def test_counts_past_the_limit_are_marked_as_estimates(client, settings, deployments, monkeypatch):
    settings.LIST_EXACT_COUNT_LIMIT = 3
    monkeypatch.setattr(pagination, "planner_estimate", lambda queryset: 123_456)
    content = client.get("/deployments/").content.decode()
    assert "of about 120,000 deployments." in content
    assert "one row for each of about 120,000 deployments" in content
    # An estimate below what the bounded count saw is not shown: only what is known.
    monkeypatch.setattr(pagination, "planner_estimate", lambda queryset: 2)
    content = client.get("/deployments/").content.decode()
    assert "of more than 3 deployments." in content
    # Within the limit the count is exact, and no estimate is asked for.
    settings.LIST_EXACT_COUNT_LIMIT = 100
    monkeypatch.setattr(pagination, "planner_estimate", pytest.fail)
    response = client.get("/deployments/")
    assert response.context["paginator"].count == len(deployments)
    assert f"of {len(deployments)} deployments." in response.content.decode()


def test_the_estimate_is_the_planners_on_postgresql_and_an_exact_count_elsewhere(
    settings, deployments
):
    settings.LIST_EXACT_COUNT_LIMIT = 2
    count = ListCount(Deployment.objects.published())
    if pagination.connections["default"].vendor == "postgresql":
        assert not count.exact
        assert isinstance(count.value, int) and count.value >= 3
        assert count.label.startswith(("about ", "more than "))
    else:
        assert count.exact and count.value == len(deployments)


@pytest.mark.parametrize(
    ("value", "shown"), [(123_456, 120_000), (98, 98), (1_049_999, 1_000_000), (15_500, 16_000)]
)
def test_estimates_are_rounded_to_two_figures(value, shown):
    assert pagination.round_estimate(value) == shown


def test_region_filter_matches_a_region_stored_in_lower_case(client, deployments):
    """A bulk load skips Agency.clean(), which upper-cases regions: the filter still finds
    them (UPPER(region), which the agency_country_upper_region index serves)."""
    agency = deployments[0].agency
    Agency = type(agency)
    Agency.objects.exclude(pk=agency.pk).update(region="WA")
    Agency.objects.filter(pk=agency.pk).update(region="or")
    response = client.get("/deployments/", {"region": "OR"})
    assert set(rows(response)) == {d.pk for d in deployments if d.agency_id == agency.pk}


def test_cursors_are_known_parameters_of_keyset_lists_only(client, deployments):
    first = client.get("/deployments/", {"page": "1"})
    cursor = first.context["page_obj"].previous_cursor
    assert client.get("/deployments/", {"after": cursor}).context["ignored_params"] == []
    # A list that pages by number says it did not apply one.
    assert client.get("/sources/", {"after": cursor}).context["ignored_params"] == ["after"]
