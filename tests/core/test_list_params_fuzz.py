"""Property: no query string makes a list page or its exports fail with a server error.

Hypothesis draws values for every parameter of each list's FilterSet (repeated or not), plus
`page`, `sort` and a parameter no list knows: plausible values (codes, names, slugs, years),
odd numbers (², 2019.5, 1e309, -1), text in any script, NUL and very long strings. Every
answer must be below 500 (a 400 that explains is fine), for the page, export.csv and
export.json alike. Every kind's list is covered (the taxonomy and the response deadlines
too), and so are the other paged pages: search, recent changes and the review queue."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from apps.records.registry import all_kinds
from tests.factories import (
    AgencyAliasFactory,
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    ResponseDeadlineFactory,
    VendorFactory,
    member_of,
    sign_in,
)

pytestmark = pytest.mark.django_db

LISTS = {f"/{kind.key}/": kind.filterset_class for kind in all_kinds() if kind.list_selector}
# Per test: a few dozen query strings each, inside a test's database (the fixtures are
# built once per test, not per example).
FUZZ_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

PLAUSIBLE = [
    "OR",
    "us-or",
    "Oregon",
    "Ciudad de Mexico",
    "Central",
    "ON",
    "ZZ",
    "US",
    "USA",
    "United States",
    "face-recognition",
    "Face Recognition",
    "active",
    "pilot",
    "yes",
    "vendor",
    "sole-source",
    "news",
    "2018",
    "1899",
    "2101",
    "2019.5",
    "²",
    "١٢",
    "-1",
    "0",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999",
    "9" * 5000,
    "%",
    "_",
    "\\",
    "'; drop table x; --",
    "\x00",
    "a\x00b",
    "x" * 300,
    " ",
    "",
    "-amount",
    "amount",
    "-start",
    "name",
    "Washington County Sheriff's Office",
    "WCSO",
    "OR0340000",
    "acme",
    "Sûreté",
]

# Any text without lone surrogates (a query string is UTF-8).
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
VALUE = st.one_of(st.sampled_from(PLAUSIBLE), TEXT, st.integers().map(str))


def query_strategy(filterset_class):
    names = [*filterset_class.base_filters, "page", "sort", "unknown"]
    return st.dictionaries(
        st.sampled_from(names), st.lists(VALUE, min_size=1, max_size=3), max_size=5
    )


@pytest.fixture
def registry():
    """A little of everything, so that filters have rows to match and sort."""
    vendor = VendorFactory(name="Acme", country="US")
    VendorFactory(name="Acme Cloud", parent=vendor)
    sheriff = AgencyFactory(name="Washington County Sheriff's Office", region="OR", ori="OR0340000")
    AgencyAliasFactory(agency=sheriff, name="WCSO")
    AgencyFactory(name="Washington County Sheriff's Office", region="WA")  # same name
    mexico = AgencyFactory(name="Sûreté Municipal", country="MX", region="CMX")
    for agency in (sheriff, mexico):
        deployment = DeploymentFactory(agency=agency)
        ContractFactory(agency=agency, vendor=deployment.vendor, currency="EUR")
        ContractFactory(agency=agency, vendor=vendor, amount=None)
        NdaFactory(agency=agency, counterparty_vendor=vendor)
    ResponseDeadlineFactory(region="OR")


@pytest.mark.parametrize("url", list(LISTS))
def test_no_query_string_causes_a_server_error(client, registry, url):
    @FUZZ_SETTINGS
    @given(
        query=query_strategy(LISTS[url]),
        target=st.sampled_from(["", "export.csv", "export.json"]),
    )
    # Inputs that once failed: always tried, whatever Hypothesis draws.
    @example(query={"page": ["²"]}, target="")
    @example(query={"year": ["2019.5"], "q": ["\x00"]}, target="export.csv")
    @example(query={"region": ["Oregon", "ZZ"], "sort": ["-amount"]}, target="export.json")
    def check(query, target):
        response = client.get(f"{url}{target}", query)
        if response.streaming:
            b"".join(response.streaming_content)  # errors while streaming count too
        assert response.status_code < 500, (url, target, query)

    check()


# The paged pages that are not a kind's list, and the parameters each reads.
OTHER_PAGES = {
    "/search/": ["q", "kind", "region", "page", "sort", "unknown"],
    "/changes/": ["page", "unknown"],
    "/review/": ["page", "unknown"],  # a reviewer's
}


@pytest.mark.parametrize("url", list(OTHER_PAGES))
def test_no_query_string_makes_another_paged_page_fail(client, registry, url):
    sign_in(client, member_of("Reviewers", username="rita"))  # the review queue's reader

    @FUZZ_SETTINGS
    @given(
        query=st.dictionaries(
            st.sampled_from(OTHER_PAGES[url]),
            st.lists(VALUE, min_size=1, max_size=3),
            max_size=4,
        )
    )
    @example(query={"q": ["acme"], "kind": ["agencies", "zz"], "region": ["Oregon"]})
    @example(query={"page": ["²"]})
    def check(query):
        assert client.get(url, query).status_code < 500, (url, query)

    check()
