"""Contracts in the Open Contracting Data Standard: the fields OCDS requires, the parties'
identifiers, values, partial dates mapped to periods, documents from published sources, the
whole package streamed in a number of queries that does not grow with the contracts."""

import datetime
import json

import pytest
from django.urls import reverse

from apps.core.partial_dates import PartialDate
from apps.opendata.ocds import period_end, period_start
from tests.factories import AgencyFactory, ContractFactory, SourceFactory

pytestmark = pytest.mark.django_db


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.streaming_content if response.streaming else [response.content]
    return json.loads(b"".join(body))


def contract_release(client, contract):
    package = get_json(client, reverse("contract_ocds", args=[contract.pk]))
    assert len(package["releases"]) == 1
    return package, package["releases"][0]


def test_a_contract_release_has_every_field_ocds_requires(client, data_dir, records, settings):
    settings.OCDS_OCID_PREFIX = "ocds-abc123"
    contract = records["contract"]
    package, release = contract_release(client, contract)
    for key in ("uri", "version", "publishedDate", "publisher", "releases"):
        assert package[key]
    assert package["version"] == "1.1"
    assert package["publisher"]["name"] == settings.SITE_NAME
    assert package["license"] == settings.DATA_LICENSE_URL
    assert release["ocid"] == f"ocds-abc123-contract-{contract.pk}"
    assert release["id"].startswith(release["ocid"] + "-")
    assert release["date"].endswith("Z")
    assert release["tag"] == ["award", "contract"]
    assert release["initiationType"] == "tender"
    assert release["tender"]["procurementMethod"] == "direct"
    assert release["tender"]["procurementMethodDetails"] == "Sole source"


def test_the_parties_are_the_buyer_with_its_ori_and_division_and_the_supplier(
    client, data_dir, records
):
    agency, vendor = records["agency"], records["vendor"]
    _, release = contract_release(client, records["contract"])
    parties = {party["id"]: party for party in release["parties"]}
    buyer = parties[release["buyer"]["id"]]
    assert buyer["roles"] == ["buyer"]
    assert buyer["name"] == agency.name
    assert buyer["identifier"] == {
        "scheme": "X-US-ORI",
        "id": "OR0340000",
        "legalName": agency.name,
    }
    assert buyer["additionalIdentifiers"] == [
        {"scheme": "X-OCD-DIVISION", "id": "ocd-division/country:us/state:or/county:washington"}
    ]
    assert buyer["address"]["region"] == "OR"
    supplier_id = release["awards"][0]["suppliers"][0]["id"]
    supplier = parties[supplier_id]
    assert supplier["roles"] == ["supplier"]
    assert supplier["name"] == vendor.name
    assert supplier["identifier"] == {"scheme": "X-SITE", "id": f"vendor:{vendor.slug}"}


def test_an_agency_without_an_ori_is_identified_by_its_address_here(client, data_dir, db):
    contract = ContractFactory(agency=AgencyFactory(ori="", ocd_division_id=""))
    _, release = contract_release(client, contract)
    buyer = next(party for party in release["parties"] if party["roles"] == ["buyer"])
    assert buyer["identifier"]["scheme"] == "X-SITE"
    assert buyer["identifier"]["id"] == f"agency:{contract.agency.slug}"
    assert "additionalIdentifiers" not in buyer


def test_award_and_contract_carry_the_value_period_and_documents(client, data_dir, records):
    contract = records["contract"]
    _, release = contract_release(client, contract)
    award, ocds_contract = release["awards"][0], release["contracts"][0]
    assert award["value"] == {"amount": 400.0, "currency": "USD"}
    assert ocds_contract["value"] == {"amount": 400.0, "currency": "USD"}
    assert ocds_contract["awardID"] == award["id"]
    # Known to the year and to the month: the start of the one, the end of the other.
    assert ocds_contract["period"] == {
        "startDate": "2017-01-01T00:00:00Z",
        "endDate": "2019-02-28T23:59:59Z",
    }
    assert ocds_contract["dateSigned"] == "2017-06-01T00:00:00Z"
    assert ocds_contract["status"] == "terminated"
    urls = [document["url"] for document in ocds_contract["documents"]]
    published = [source.url for source in contract.sources.published()]
    assert sorted(urls) == sorted(published)
    assert records["hidden_source"].url not in urls
    assert [item["description"] for item in award["items"]] == ["Rekognition"]


def test_a_contract_without_an_amount_has_no_value(client, data_dir, db):
    contract = ContractFactory(amount=None)
    _, release = contract_release(client, contract)
    assert "value" not in release["awards"][0]
    assert "value" not in release["contracts"][0]


@pytest.mark.parametrize(
    ("precision", "start", "end"),
    [
        ("year", "2020-01-01T00:00:00Z", "2020-12-31T23:59:59Z"),
        ("month", "2020-02-01T00:00:00Z", "2020-02-29T23:59:59Z"),
        ("day", "2020-02-01T00:00:00Z", "2020-02-01T23:59:59Z"),
    ],
)
def test_partial_dates_map_to_the_first_and_last_moment_known(precision, start, end):
    partial = PartialDate(
        datetime.date(2020, 2, 1) if precision != "year" else datetime.date(2020, 1, 1), precision
    )
    assert period_start(partial) == start
    assert period_end(partial) == end


def test_pending_and_unknown_contracts_are_not_found(client, data_dir, records):
    assert client.get(reverse("contract_ocds", args=[records["pending"].pk])).status_code == 404
    assert client.get("/contracts/999999/ocds.json").status_code == 404
    assert client.get("/contracts/abc/ocds.json").status_code == 404


def test_the_contract_page_links_its_release(client, data_dir, records):
    contract = records["contract"]
    page = client.get(contract.get_absolute_url()).content.decode()
    assert f'href="{reverse("contract_ocds", args=[contract.pk])}"' in page


def test_the_package_holds_every_published_contract_and_no_other(client, data_dir, records):
    others = ContractFactory.create_batch(2)
    package = get_json(client, reverse("opendata:ocds"))
    ocids = {release["ocid"] for release in package["releases"]}
    expected = {records["contract"].pk, *(contract.pk for contract in others)}
    assert ocids == {f"ocds-000000-contract-{pk}" for pk in expected}
    assert package["uri"] == "http://testserver/data/ocds.json"


def test_the_package_reads_in_a_fixed_number_of_queries(
    client, data_dir, records, django_assert_num_queries
):
    ContractFactory.create_batch(4, sources=SourceFactory.create_batch(2))
    # The contracts with agency and vendor, their published sources, their products.
    with django_assert_num_queries(3):
        package = get_json(client, reverse("opendata:ocds"))
    assert len(package["releases"]) == 5


def test_one_contract_reads_in_a_fixed_number_of_queries(
    client, data_dir, records, django_assert_num_queries
):
    with django_assert_num_queries(3):
        contract_release(client, records["contract"])
