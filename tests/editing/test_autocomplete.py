"""Autocomplete reads how each kind is searched from the registry (`search_fields`,
`suggestion`)."""

import pytest

from apps.records.registry import all_kinds
from tests.factories import (
    AgencyAliasFactory,
    AgencyFactory,
    DeploymentFactory,
    ProductFactory,
    SourceFactory,
    VendorAliasFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


def suggestions(client, kind, text):
    response = client.get(f"/autocomplete/{kind}/", {"q": text})
    assert response.status_code == 200
    return response.json()["results"]


def test_the_kinds_searched_are_those_that_declare_search_fields():
    searched = {kind.key for kind in all_kinds() if kind.search_fields}
    assert searched == {"agencies", "vendors", "products", "technologies", "sources"}


def test_a_record_matched_by_its_name_and_two_aliases_comes_once(volunteer_client):
    agency = AgencyFactory(name="Zephyr Police Department")
    AgencyAliasFactory(agency=agency, name="Zephyr PD")
    AgencyAliasFactory(agency=agency, name="Zephyr Police")
    label = f"Zephyr Police Department [{agency.slug}]"
    assert suggestions(volunteer_client, "agencies", "zephyr") == [{"value": label, "label": label}]


def test_vendors_are_found_by_alias_and_sorted_by_name(volunteer_client):
    later = VendorFactory(name="Zz Later Systems")
    earlier = VendorFactory(name="Aa Earlier Systems")
    VendorAliasFactory(vendor=earlier, name="Zz Old Name")
    values = [result["value"] for result in suggestions(volunteer_client, "vendors", "zz")]
    assert values == [f"Aa Earlier Systems [{earlier.slug}]", f"Zz Later Systems [{later.slug}]"]


def test_products_and_technologies_by_name(volunteer_client):
    product = ProductFactory(name="Zzvision")
    assert [r["value"] for r in suggestions(volunteer_client, "products", "zzvis")] == [
        f"Zzvision [{product.slug}]"
    ]
    values = [r["value"] for r in suggestions(volunteer_client, "technologies", "face recog")]
    assert values == ["Face Recognition [face-recognition]"]


def test_sources_are_suggested_as_their_citation(volunteer_client):
    with_url = SourceFactory(title="Zz Budget", url="https://news.example.org/zz-budget")
    without_url = SourceFactory(title="Zz Agenda", url="", publisher="City Clerk")
    assert suggestions(volunteer_client, "sources", "zz") == [
        {"value": f"#{without_url.pk}", "label": "Zz Agenda — City Clerk"},
        {"value": with_url.url, "label": "Zz Budget — Example Gazette"},
    ]
    # The address is searched too.
    assert [r["value"] for r in suggestions(volunteer_client, "sources", "zz-budget")] == [
        with_url.url
    ]


@pytest.mark.parametrize("kind", ["deployments", "contracts", "no-such-kind"])
def test_a_kind_without_search_fields_or_unknown_suggests_nothing(volunteer_client, kind):
    deployment = DeploymentFactory()
    assert suggestions(volunteer_client, kind, deployment.agency.name[:5]) == []
