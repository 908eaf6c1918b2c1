"""/regions/ and /regions/<country>/<region>/: the regions with agencies, one region's
agencies and charts, each count equal to the list it links to."""

import pytest

from apps.core.models import Visibility
from tests.factories import AgencyFactory, ContractFactory, DeploymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    portland = AgencyFactory(name="Portland Police", region="OR", locality="Portland")
    salem = AgencyFactory(name="Salem Police", region="or", locality="Salem")  # any case
    seattle = AgencyFactory(name="Seattle Police", region="WA")
    toronto = AgencyFactory(name="Toronto Police", country="CA", region="ON")
    AgencyFactory(name="Nowhere Police", region="")
    AgencyFactory(name="Hidden Police", region="OR", visibility=Visibility.PENDING)
    DeploymentFactory.create_batch(2, agency=portland)
    DeploymentFactory(agency=salem)
    DeploymentFactory(agency=salem, visibility=Visibility.PENDING)
    DeploymentFactory(agency=seattle)
    DeploymentFactory(agency=toronto)
    ContractFactory(agency=portland)
    ContractFactory(agency=seattle)
    ContractFactory(agency=salem, visibility=Visibility.WITHDRAWN)
    return {"portland": portland, "salem": salem}


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["paginator"].count


def test_the_region_list_counts_agencies_and_deployments_as_their_lists_do(
    client, places, django_assert_num_queries
):
    # the agencies grouped by region, the deployments grouped by region
    with django_assert_num_queries(2):
        response = client.get("/regions/")
    rows = [
        (row.region.full_code, row.agency_count, row.deployment_count)
        for row in response.context["regions"]
    ]
    # By country name, then region name; a pending agency and one with no region left out.
    assert rows == [("CA-ON", 1, 1), ("US-OR", 2, 3), ("US-WA", 1, 1)]
    for row in response.context["regions"]:
        assert listed(client, row.agencies_url) == row.agency_count
        assert listed(client, row.deployments_url) == row.deployment_count
    content = response.content.decode()
    assert '<a href="/regions/US/OR/">Oregon</a>' in content
    assert '<a href="/deployments/?country=US&amp;region=OR">3</a>' in content


def test_a_region_page_shows_its_agencies_counts_and_charts(client, places):
    response = client.get("/regions/US/OR/")
    assert response.status_code == 200
    context = response.context
    assert [agency.name for agency in context["agencies"]] == ["Portland Police", "Salem Police"]
    assert [agency.deployment_count for agency in context["agencies"]] == [2, 1]
    assert (context["deployment_count"], context["contract_count"]) == (3, 1)
    assert listed(client, context["agencies_url"]) == 2
    assert listed(client, context["deployments_url"]) == 3
    assert listed(client, context["contracts_url"]) == 1
    for agency in context["agencies"]:
        assert listed(client, f"/deployments/?agency={agency.slug}") == agency.deployment_count
    charts = {chart.key: chart for chart in context["charts"]}
    assert list(charts) == ["by-technology", "by-vendor", "started-per-year", "contract-value"]
    assert [(row.label, row.value) for row in charts["by-technology"].rows] == [
        ("Face Recognition", 3)
    ]
    assert charts["by-technology"].rows[0].url == (
        "/deployments/?country=US&region=OR&technology=face-recognition"
    )
    assert [(row.label, row.count) for row in charts["contract-value"].rows] == [("2017", 1)]
    content = response.content.decode()
    assert "<h1>Oregon <small>United States · US-OR</small></h1>" in content
    assert 'role="group"' in content and "Hidden Police" not in content
    # Its changes can be followed: the region's feed, in the head and on the page.
    assert '<link rel="alternate" type="application/atom+xml"' in content
    assert content.count('href="/feeds/regions/US/OR/"') == 2
    assert client.get("/feeds/regions/US/OR/").status_code == 200


def test_the_region_page_query_count_does_not_grow(client, places, django_assert_num_queries):
    # the agencies with their deployment counts, the contracts' count; the charts: one
    # grouped query each, and the vendors' parents for the vendor chart
    with django_assert_num_queries(7):
        client.get("/regions/US/OR/")
    for _ in range(3):
        DeploymentFactory(agency=AgencyFactory(region="OR"))
        ContractFactory(agency=places["salem"], currency="EUR")
    with django_assert_num_queries(7):
        response = client.get("/regions/US/OR/")
    assert len(response.context["agencies"]) == 5


def test_a_region_abroad_and_an_empty_region(client, places):
    response = client.get("/regions/CA/ON/")
    assert response.status_code == 200
    assert [agency.name for agency in response.context["agencies"]] == ["Toronto Police"]
    assert "<h1>Ontario <small>Canada · CA-ON</small></h1>" in response.content.decode()
    empty = client.get("/regions/US/VT/")
    assert empty.status_code == 200
    assert "No agency in Vermont has been published yet." in empty.content.decode()


@pytest.mark.parametrize(
    "url", ["/regions/US/ZZ/", "/regions/XX/OR/", "/regions/US/Oregon/", "/regions/NA/OR/"]
)
def test_an_unknown_region_is_404(client, url):
    assert client.get(url).status_code == 404


def test_codes_in_lower_case_redirect_to_the_page(client):
    response = client.get("/regions/us/or/")
    assert response.status_code == 301 and response["Location"] == "/regions/US/OR/"


def test_the_home_page_links_the_regions(client):
    assert '<a href="/regions/">All regions</a>' in client.get("/").content.decode()
