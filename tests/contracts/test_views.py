import csv
import datetime
import io
import json

import pytest

from tests.factories import AgencyFactory, ContractFactory, NdaFactory, VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contracts():
    sheriff = AgencyFactory(name="Washington County Sheriff's Office", region="OR")
    police = AgencyFactory(name="Orlando Police Department", region="FL")
    cloud = VendorFactory(name="Cloud Vendor")
    return {
        "setup": ContractFactory(
            agency=sheriff,
            vendor=cloud,
            title="Setup fee",
            amount="400.00",
            procurement_method="sole-source",
            signed_date=datetime.date(2017, 1, 1),
            signed_date_precision="year",
        ),
        "pilot": ContractFactory(
            agency=police,
            vendor=cloud,
            title="Free pilot",
            amount="0.00",
            procurement_method="free-trial",
            signed_date=None,
            signed_date_precision="",
            start_date=datetime.date(2018, 1, 1),
            start_date_precision="month",
        ),
        "big": ContractFactory(
            agency=police,
            title="Citywide cameras",
            amount="2500000.00",
            procurement_method="competitive-bid",
            signed_date=datetime.date(2019, 3, 4),
            signed_date_precision="day",
        ),
        "unknown": ContractFactory(
            agency=sheriff,
            title="Unknown terms",
            amount=None,
            signed_date=None,
            signed_date_precision="",
            procurement_method="unknown",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"setup", "pilot", "big", "unknown"}),
        ("amount_min=100", {"setup", "big"}),
        ("amount_max=400", {"setup", "pilot"}),
        ("amount_min=1&amount_max=500", {"setup"}),
        ("procurement_method=free-trial", {"pilot"}),
        ("year=2018", {"pilot"}),
        ("year=2017", {"setup"}),
        ("region=OR", {"setup", "unknown"}),
    ],
)
def test_contract_filters_narrow_the_list(client, contracts, query, expected):
    response = client.get(f"/contracts/?{query}")
    assert response.status_code == 200
    assert {c.pk for c in response.context["object_list"]} == {contracts[n].pk for n in expected}


def test_contract_filters_by_agency_and_vendor(client, contracts):
    setup = contracts["setup"]
    by_vendor = client.get("/contracts/", {"vendor": setup.vendor.slug})
    assert {c.pk for c in by_vendor.context["object_list"]} == {setup.pk, contracts["pilot"].pk}
    by_agency = client.get("/contracts/", {"agency": setup.agency.slug})
    assert {c.pk for c in by_agency.context["object_list"]} == {setup.pk, contracts["unknown"].pk}


def test_sorting_by_amount_puts_unknown_amounts_last(client, contracts):
    rows = list(client.get("/contracts/", {"sort": "-amount"}).context["object_list"])
    assert [c.title for c in rows] == [
        "Citywide cameras",
        "Setup fee",
        "Free pilot",
        "Unknown terms",
    ]
    rows = list(client.get("/contracts/", {"sort": "amount"}).context["object_list"])
    assert rows[0].title == "Free pilot" and rows[-1].title == "Unknown terms"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("amount_min=lots", "Enter a number"),
        ("amount_min=-5", "greater than or equal to 0"),
        ("amount_min=500&amount_max=100", "The maximum is below the minimum."),
        ("procurement_method=bribe", "Select a valid choice"),
    ],
)
def test_invalid_contract_filters_are_explained(client, contracts, query, message):
    response = client.get(f"/contracts/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_contract_list_and_detail_query_counts(client, contracts, django_assert_num_queries):
    ContractFactory.create_batch(6)
    # count, rows, sources, products, the form's suggestions: agencies, vendors, products,
    # regions
    with django_assert_num_queries(8):
        client.get("/contracts/")
    # contract, its sources, products, deployments, oversight events; its version number
    # ("Cite this")
    with django_assert_num_queries(6):
        response = client.get(contracts["setup"].get_absolute_url())
    content = response.content.decode()
    assert "400.00 USD" in content and "Sole source" in content and "2017" in content


def test_contract_exports_match_the_filter(client, contracts):
    response = client.get("/contracts/export.csv", {"procurement_method": "free-trial"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["title"] for row in rows] == ["Free pilot"]
    assert rows[0]["amount"] == "0.00"
    response = client.get("/contracts/export.json", {"amount_min": 1000})
    data = json.loads(b"".join(response.streaming_content))
    assert [record["title"] for record in data["results"]] == ["Citywide cameras"]
    assert data["results"][0]["amount"] == "2500000.00"


@pytest.fixture
def ndas():
    sheriff = AgencyFactory(name="Washington County Sheriff's Office", region="OR")
    federal = AgencyFactory(name="Federal Bureau of Example", kind="federal", region="")
    cloud = VendorFactory(name="Cloud Vendor")
    return {
        "vendor": NdaFactory(agency=sheriff, counterparty_vendor=cloud, cited_to_withhold="yes"),
        "federal": NdaFactory(
            agency=sheriff,
            counterparty_vendor=None,
            counterparty_agency=federal,
            cited_to_withhold="no",
            signed_date=datetime.date(2014, 1, 1),
            signed_date_precision="year",
        ),
        "other": NdaFactory(cited_to_withhold="unknown"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"vendor", "federal", "other"}),
        ("cited_to_withhold=yes", {"vendor"}),
        ("counterparty_kind=agency", {"federal"}),
        ("counterparty_kind=vendor", {"vendor", "other"}),
        ("year=2014", {"federal"}),
    ],
)
def test_nda_filters_narrow_the_list(client, ndas, query, expected):
    response = client.get(f"/ndas/?{query}")
    assert response.status_code == 200
    assert {n.pk for n in response.context["object_list"]} == {ndas[k].pk for k in expected}


def test_nda_counterparty_filter_takes_a_vendor_or_an_agency(client, ndas):
    vendor = ndas["vendor"].counterparty_vendor
    agency = ndas["federal"].counterparty_agency
    by_vendor = client.get("/ndas/", {"counterparty": vendor.slug})
    assert [n.pk for n in by_vendor.context["object_list"]] == [ndas["vendor"].pk]
    by_agency = client.get("/ndas/", {"counterparty": agency.slug})
    assert [n.pk for n in by_agency.context["object_list"]] == [ndas["federal"].pk]
    response = client.get("/ndas/", {"counterparty": "nobody"})
    assert response.status_code == 400
    assert "No vendor or agency has the identifier or name “nobody”." in (response.content.decode())


def test_nda_pages_and_exports(client, ndas, django_assert_num_queries):
    # the NDA (with its agency and counterparty), its sources, the requests citing it
    with django_assert_num_queries(4):
        response = client.get(ndas["vendor"].get_absolute_url())
    assert "cited this agreement to withhold records" in response.content.decode()
    # count, rows, sources, the form's suggestions: agencies, counterparty vendors, regions
    with django_assert_num_queries(6):
        client.get("/ndas/")
    response = client.get("/ndas/export.json", {"cited_to_withhold": "yes"})
    data = json.loads(b"".join(response.streaming_content))
    assert [record["id"] for record in data["results"]] == [ndas["vendor"].pk]
    assert data["results"][0]["counterparty"]["kind"] == "vendor"
