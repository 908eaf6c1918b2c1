"""Every chip above a list removes one value and leaves a list that still loads: the other
values stay in their resolved form (region US-OR, not OR, once the US is removed), and values
that resolve alike (OR, US-OR, Oregon) are one chip."""

import pytest

from tests.factories import AgencyFactory, DeploymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    return [
        DeploymentFactory(agency=AgencyFactory(country="US", region="OR"), status="active"),
        DeploymentFactory(agency=AgencyFactory(country="MX", region="CMX"), status="pilot"),
    ]


COMBINATIONS = [
    ("/deployments/", "country=US&country=Mexico&region=OR"),
    ("/agencies/", "country=US&country=Mexico&region=OR"),
    ("/deployments/", "country=Mexico&country=US&region=OR&region=Ciudad+de+Mexico"),
    ("/agencies/", "country=united+states&region=or&region=CMX&country=MX&kind=police"),
    ("/deployments/", "region=OR&status=active&status=Pilot&q=a&sort=agency&utm_source=x"),
    ("/deployments/", "region=OR&region=US-OR&region=Oregon&year=2018&year=2018"),
    ("/vendors/", "customer_region=OR&customer_region=Ciudad+de+Mexico&country=US"),
]


@pytest.mark.parametrize(("url", "query"), COMBINATIONS)
def test_every_chip_link_leads_to_a_list_that_loads(client, places, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    chips = response.context["active_filters"]
    assert chips
    for label, value, remove in chips:
        followed = client.get(url + remove)
        assert followed.status_code == 200, (label, value, remove, followed.context["errors"])
        assert (label, value) not in [chip[:2] for chip in followed.context["active_filters"]]


def test_removing_a_country_keeps_the_regions_resolved(client, places):
    response = client.get("/deployments/?country=US&country=Mexico&region=OR")
    chips = {chip[:2]: chip[2] for chip in response.context["active_filters"]}
    assert chips[("Country", "Mexico")] == "?country=US&region=US-OR"
    # Oregon would contradict the only country left: it goes with the United States.
    assert chips[("Country", "United States")] == "?country=MX"
    assert chips[("Region", "Oregon (US-OR)")] == "?country=US&country=MX"


def test_values_that_resolve_alike_are_one_chip(client, places):
    response = client.get("/deployments/?region=OR&region=US-OR&region=Oregon&status=active")
    chips = response.context["active_filters"]
    assert [chip for chip in chips if chip[0] == "Region"] == [
        ("Region", "Oregon (US-OR)", "?status=active")
    ]
    assert ("Status", "Active", "?region=US-OR") in chips
    assert response.content.decode().count("Remove filter Region") == 1


@pytest.mark.parametrize(
    ("url", "one", "two"),
    [
        ("/deployments/", "1 deployment.", "2 deployments."),
        ("/agencies/", "1 agency.", "2 agencies."),
    ],
)
def test_a_count_of_one_is_singular(client, url, one, two):
    DeploymentFactory(agency=AgencyFactory(country="US", region="OR"))
    DeploymentFactory(agency=AgencyFactory(country="US", region="WA"))
    assert f"Showing 1–1 of {one}" in client.get(url, {"region": "OR"}).content.decode()
    assert f"Showing 1–2 of {two}" in client.get(url).content.decode()


def test_ndas_count_is_singular_too(client):
    from tests.factories import NdaFactory

    NdaFactory()
    page = client.get("/ndas/").content.decode()
    assert "Showing 1–1 of 1 NDA." in page
    assert "one row for the NDA, with its sources" in page


@pytest.mark.parametrize("typed", ["active", "Active", "ACTIVE", " active "])
def test_a_choice_filter_takes_its_label_in_any_case(client, places, typed):
    response = client.get("/deployments/", {"status": typed})
    assert response.status_code == 200
    assert {d.pk for d in response.context["object_list"]} == {places[0].pk}
    assert ("Status", "Active", "?") in response.context["active_filters"]


def test_a_choice_label_of_several_words_and_a_tri_state_label(client, places):
    assert client.get("/agencies/", {"kind": "police DEPARTMENT"}).status_code == 200
    assert client.get("/deployments/", {"use_policy": "UNKNOWN"}).status_code == 200
    assert client.get("/deployments/", {"status": "activ"}).status_code == 400


def test_a_choice_typed_as_its_label_shows_ticked(client, places):
    content = client.get("/deployments/", {"status": "Pilot / TRIAL"}).content.decode()
    assert 'value="pilot"' in content
    assert 'type="checkbox" name="status" value="pilot" id="id_status_1" checked' in content
