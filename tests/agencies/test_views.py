import csv
import datetime
import io
import json

import pytest

from apps.core.models import Visibility
from tests.factories import (
    AgencyAliasFactory,
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    ProductFactory,
    RecordsRequestFactory,
    technology,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    sheriff = AgencyFactory(
        name="Washington County Sheriff's Office",
        kind="sheriff",
        jurisdiction_level="county",
        region="OR",
        locality="Hillsboro",
        ori="OR0340000",
    )
    police = AgencyFactory(name="Orlando Police Department", region="FL", locality="Orlando")
    federal = AgencyFactory(
        name="Federal Bureau of Example", kind="federal", jurisdiction_level="federal", region=""
    )
    DeploymentFactory(agency=sheriff)
    DeploymentFactory(agency=police, technology=technology("drones"), product=None, vendor=None)
    return {"sheriff": sheriff, "police": police, "federal": federal}


def listed(response):
    return {agency.pk for agency in response.context["object_list"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"sheriff", "police", "federal"}),
        ("region=OR", {"sheriff"}),
        ("kind=federal", {"federal"}),
        ("jurisdiction_level=county", {"sheriff"}),
        ("technology=face-recognition", {"sheriff"}),
        ("technology=drones", {"police"}),
        ("technology=gunshot-detection", set()),
    ],
)
def test_agency_filters_narrow_the_list(client, agencies, query, expected):
    response = client.get(f"/agencies/?{query}")
    assert response.status_code == 200
    assert listed(response) == {agencies[name].pk for name in expected}


def test_agency_vendor_filter_lists_each_customer_once(client, agencies):
    vendor = agencies["sheriff"].deployments.get().vendor
    DeploymentFactory(agency=agencies["sheriff"], product=ProductFactory(vendor=vendor))
    response = client.get("/agencies/", {"vendor": vendor.slug})
    assert [a.pk for a in response.context["object_list"]] == [agencies["sheriff"].pk]


@pytest.mark.parametrize(
    "query", ["kind=spies", "technology=nope", "vendor=nope", "country=ZZ", "sort=shoe"]
)
def test_invalid_agency_filters_are_explained(client, agencies, query):
    response = client.get(f"/agencies/?{query}")
    assert response.status_code == 400
    assert "This list could not be filtered" in response.content.decode()


def test_agency_list_query_count_is_fixed(client, agencies, django_assert_num_queries):
    # count, rows (with parents), the form's suggestions: regions, technologies, vendors
    with django_assert_num_queries(5):
        client.get("/agencies/")
    AgencyFactory.create_batch(10, parent=agencies["police"])
    with django_assert_num_queries(5):
        response = client.get("/agencies/")
    assert "Orlando Police Department" in response.content.decode()


def test_agency_profile_is_a_dated_timeline_with_sources(
    client, agencies, django_assert_num_queries
):
    sheriff = agencies["sheriff"]
    AgencyAliasFactory(agency=sheriff, name="WCSO")
    deployment = sheriff.deployments.get()
    contract = ContractFactory(
        agency=sheriff,
        vendor=deployment.vendor,
        title="Rekognition setup",
        amount="400.00",
        signed_date=datetime.date(2017, 6, 1),
        signed_date_precision="month",
    )
    nda = NdaFactory(
        agency=sheriff,
        counterparty_vendor=deployment.vendor,
        signed_date=datetime.date(2016, 12, 20),
        signed_date_precision="day",
    )
    DeploymentFactory(agency=sheriff, start_date=None, start_date_precision="")
    # agency, its aliases, its sources; the timeline's page: the next positions of its
    # deployments, contracts, NDAs signed by it or with it, records requests and oversight
    # events (5), then the records on the page: deployments (+sources), contracts (+sources,
    # products), NDAs (+sources) (no request or event here: not read); the four counts;
    # child agencies; the records requests' count and newest; its NDAs (+the requests citing
    # them); and the transparency record: its fingerprint and (not cached yet) its five
    # grouped queries.
    with django_assert_num_queries(31):
        response = client.get(sheriff.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    timeline = response.context["timeline"]
    assert [item.record for item in timeline[:3]] == [contract, deployment, nda]
    assert timeline[-1].date is None  # undated last
    assert "June 2017" in content and "20 December 2016" in content and "Date unknown" in content
    assert "400.00 USD" in content
    assert "cited to withhold records" in content
    assert "WCSO" in content and "OR0340000" in content
    # The region links to its page (counts, charts, the feed).
    assert '<a href="/regions/US/OR/">Oregon</a> (OR)' in content
    assert deployment.sources.get().get_absolute_url() in content
    assert content.count("<h1") == 1


def test_profile_query_count_does_not_grow_with_records(
    client, agencies, django_assert_num_queries
):
    sheriff = agencies["sheriff"]
    for _ in range(5):
        DeploymentFactory(agency=sheriff)
        ContractFactory(agency=sheriff)
        nda = NdaFactory(agency=sheriff)
        RecordsRequestFactory(agency=sheriff).ndas_cited.set([nda])
        OversightEventFactory(agency=sheriff)
    # As above, the NDAs the requests cited, the requests' sources (their timeline entries
    # cite them), and the oversight events' sources.
    with django_assert_num_queries(36):
        client.get(sheriff.get_absolute_url())


def test_unpublished_agency_is_404_and_not_listed(client, agencies):
    police = agencies["police"]
    police.visibility = Visibility.WITHDRAWN
    police.save()
    assert client.get(police.get_absolute_url()).status_code == 404
    assert police.pk not in listed(client.get("/agencies/"))


def test_agency_exports_match_the_filter(client, agencies):
    response = client.get("/agencies/export.csv", {"region": "OR"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["name"] for row in rows] == ["Washington County Sheriff's Office"]
    assert rows[0]["ori"] == "OR0340000"
    response = client.get("/agencies/export.json", {"kind": "federal"})
    data = json.loads(b"".join(response.streaming_content))
    assert [record["slug"] for record in data["results"]] == [agencies["federal"].slug]
