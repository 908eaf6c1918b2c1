import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from apps.core.models import Visibility
from tests.factories import (
    AgencyFactory,
    DeploymentFactory,
    ProductFactory,
    VendorFactory,
    technology,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/deployments/"


@pytest.fixture
def deployments():
    """Four deployments that differ on every filterable column."""
    oregon_sheriff = AgencyFactory(
        name="Washington County Sheriff's Office", kind="sheriff", region="OR", country="US"
    )
    florida_police = AgencyFactory(name="Orlando Police Department", region="FL")
    canada_police = AgencyFactory(name="Toronto Police Service", country="CA", region="ON")
    rekognition = ProductFactory(name="Rekognition", vendor=VendorFactory(name="Cloud Vendor"))
    plate_reader = ProductFactory(
        name="PlateScan", vendor=VendorFactory(name="Plate Co"), technologies=[]
    )
    return {
        "oregon": DeploymentFactory(
            agency=oregon_sheriff,
            product=rekognition,
            status="active",
            start_date=datetime.date(2017, 1, 1),
            start_date_precision="year",
            public_input="no",
            use_policy="yes",
        ),
        "florida": DeploymentFactory(
            agency=florida_police,
            product=rekognition,
            status="pilot",
            start_date=datetime.date(2018, 1, 1),
            start_date_precision="month",
            end_date=datetime.date(2018, 6, 1),
            end_date_precision="month",
            public_input="unknown",
            use_policy="no",
        ),
        "plates": DeploymentFactory(
            agency=florida_police,
            technology=technology("automated-license-plate-readers"),
            product=plate_reader,
            status="discontinued",
            start_date=datetime.date(2012, 3, 1),
            start_date_precision="day",
            end_date=datetime.date(2015, 1, 1),
            end_date_precision="year",
            public_input="yes",
        ),
        "canada": DeploymentFactory(
            agency=canada_police,
            technology=technology("drones"),
            product=None,
            vendor=None,
            status="proposed",
            start_date=None,
            start_date_precision="",
        ),
    }


def listed(response):
    return {d.pk for d in response.context["object_list"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"oregon", "florida", "plates", "canada"}),
        ("country=US", {"oregon", "florida", "plates"}),
        ("country=CA", {"canada"}),
        ("region=OR", {"oregon"}),
        ("region=fl", {"florida", "plates"}),
        ("agency_kind=sheriff", {"oregon"}),
        ("technology=face-recognition", {"oregon", "florida"}),
        ("technology=drones", {"canada"}),
        ("status=pilot", {"florida"}),
        ("year=2018", {"oregon", "florida"}),
        ("year=2013", {"plates"}),
        ("year=2016", set()),
        ("public_input=no", {"oregon"}),
        ("public_input=yes", {"plates"}),
        ("use_policy=yes", {"oregon"}),
        ("technology=face-recognition&status=active&region=OR&year=2018", {"oregon"}),
    ],
)
def test_each_filter_narrows_the_list(client, deployments, query, expected):
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    assert listed(response) == {deployments[name].pk for name in expected}


def test_filters_by_agency_vendor_and_product_slug(client, deployments):
    florida = deployments["florida"]
    response = client.get(LIST_URL, {"agency": florida.agency.slug})
    assert listed(response) == {florida.pk, deployments["plates"].pk}
    response = client.get(LIST_URL, {"vendor": florida.vendor.slug})
    assert listed(response) == {florida.pk, deployments["oregon"].pk}
    response = client.get(LIST_URL, {"product": deployments["plates"].product.slug})
    assert listed(response) == {deployments["plates"].pk}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("technology=time-travel", "No technology has the identifier or name “time-travel”"),
        ("vendor=nobody", "No vendor has the identifier or name “nobody”"),
        ("agency=nowhere", "No agency has the identifier, name or ORI “nowhere”"),
        ("status=sleeping", "Select a valid choice"),
        ("country=XX", "No country is called or coded “XX”"),
        ("region=Oregon!", "No region is called or coded “Oregon!”"),
        ("region=ZZ", "No region of United States has the code “ZZ”"),
        ("country=CA&region=Oregon", "No region of Canada is called or coded “Oregon”"),
        ("year=banana", "Enter a whole number"),
        ("year=2019.5", "Enter a whole number"),
        ("year=20180", "less than or equal to 2100"),
        ("public_input=maybe", "Select a valid choice"),
        ("sort=random", "Select a valid choice"),
        ("page=abc", "is not a page number"),
    ],
)
def test_invalid_filter_values_get_a_clear_message_not_an_error(
    client, deployments, query, message
):
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 400
    content = response.content.decode()
    assert "This list could not be filtered" in content
    assert message in content
    # No rows shown for a broken filter (the filter form still suggests agency names).
    assert "<tbody>" not in content


def test_page_past_the_end_is_a_404_that_says_so(client, deployments):
    response = client.get(LIST_URL, {"page": 9})
    assert response.status_code == 404
    # The list no longer counts its pages (keyset pagination, bounded counts).
    assert "There is no page 9: the list ends before it." in response.content.decode()


def test_empty_results_say_so(client, deployments):
    response = client.get(LIST_URL, {"technology": "gunshot-detection"})
    assert response.status_code == 200
    assert "No deployments match these filters." in response.content.decode()


def test_active_filters_are_shown_with_a_link_that_removes_each(client, deployments):
    response = client.get(LIST_URL, {"technology": "face-recognition", "status": "active"})
    chips = response.context["active_filters"]
    assert ("Technology", "Face Recognition", "?status=active") in chips
    assert ("Status", "Active", "?technology=face-recognition") in chips
    content = response.content.decode()
    assert 'aria-label="Remove filter Technology: Face Recognition"' in content


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("-start", "florida", "canada"),
        ("start", "plates", "canada"),
        ("agency", "florida", "oregon"),
        ("-agency", "oregon", "plates"),
    ],
)
def test_sorting_orders_rows_and_puts_unknown_dates_last(client, deployments, sort, first, last):
    rows = list(client.get(LIST_URL, {"sort": sort}).context["object_list"])
    assert rows[0] == deployments[first]
    assert rows[-1] == deployments[last]


def test_pagination_shows_every_row_once(client, settings):
    agency = AgencyFactory()
    created = DeploymentFactory.create_batch(25, agency=agency, product=ProductFactory())
    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})
    seen = listed(first) | listed(second)
    assert len(listed(first)) == 20 and len(listed(second)) == 5
    assert seen == {d.pk for d in created}
    # Keyset pages are not numbered past the first few: "Page 1", no "of 2".
    assert "Page 1</li>" in first.content.decode()
    assert 'rel="next"' in first.content.decode()


def test_unpublished_deployments_are_not_listed_counted_or_shown(client, deployments):
    hidden = deployments["oregon"]
    hidden.visibility = Visibility.PENDING
    hidden.save()
    response = client.get(LIST_URL)
    assert hidden.pk not in listed(response)
    assert response.context["paginator"].count == 3
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_list_query_count_does_not_grow_with_rows(client, django_assert_num_queries):
    for _ in range(3):
        DeploymentFactory()
    # count, page rows, their sources, the page's NDA and contract markers, and the form's
    # suggestions: regions, agencies, technologies, vendors, products.
    with django_assert_num_queries(10):
        client.get(LIST_URL)
    for _ in range(12):
        DeploymentFactory()
    with django_assert_num_queries(10):
        response = client.get(LIST_URL)
    assert len(response.context["object_list"]) == 15


def test_detail_page_shows_the_facts_and_sources(client, deployments, django_assert_num_queries):
    deployment = deployments["florida"]
    source = deployment.sources.get()
    # the deployment, its sources, its contracts, the NDAs covering it and the oversight
    # events concerning it (none: their sources are not asked for, nor the records
    # requests citing those NDAs)
    with django_assert_num_queries(6):
        response = client.get(deployment.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Face Recognition at Orlando Police Department</h1>" in content
    assert "January 2018" in content and "June 2018" in content
    assert "Pilot / trial" in content
    assert source.title in content and source.url in content
    assert content.count("<h1") == 1


def test_detail_of_a_missing_deployment_is_404(client):
    assert client.get("/deployments/999999/").status_code == 404


# Exports


def export_rows(client, query=""):
    response = client.get(f"/deployments/export.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_matches_the_filtered_page(client, deployments):
    rows = export_rows(client, "technology=face-recognition")
    assert {row["agency"] for row in rows} == {
        "Washington County Sheriff's Office",
        "Orlando Police Department",
    }
    assert {row["start_date"] for row in rows} == {"2017", "2018-01"}
    assert all(row["technology"] == "Face Recognition" for row in rows)


def test_json_export_matches_the_filtered_page(client, deployments):
    response = client.get("/deployments/export.json", {"region": "FL", "sort": "start"})
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    assert [record["id"] for record in data["results"]] == [
        deployments["plates"].pk,
        deployments["florida"].pk,
    ]
    florida = data["results"][1]
    assert florida["start"] == {"date": "2018-01", "precision": "month"}
    assert florida["sources"][0]["url"].startswith("https://")
    assert data["meta"]["filters"] == "region=FL&sort=start"


def test_exports_leave_out_unpublished_deployments(client, deployments):
    deployments["canada"].visibility = Visibility.WITHDRAWN
    deployments["canada"].save()
    assert "Toronto Police Service" not in {row["agency"] for row in export_rows(client)}


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_with_an_invalid_filter_is_a_400_with_the_reason(client, fmt):
    response = client.get(f"/deployments/export.{fmt}", {"technology": "nope"})
    assert response.status_code == 400
    assert "No technology has the identifier" in response.content.decode()


def test_export_is_streamed(client, deployments):
    response = client.get("/deployments/export.csv")
    assert response.streaming


def test_list_page_links_to_exports_of_the_same_selection(client, deployments):
    content = client.get(LIST_URL, {"status": "active", "page": 1}).content.decode()
    assert f'{reverse("deployments:export", args=["csv"])}?status=active"' in content
    assert f'{reverse("deployments:export", args=["json"])}?status=active"' in content


def test_vendor_filter_includes_subsidiaries(client, deployments):
    subsidiary = deployments["oregon"].vendor
    parent = VendorFactory(name="Parent Holdings")
    subsidiary.parent = parent
    subsidiary.save()
    response = client.get(LIST_URL, {"vendor": parent.slug})
    assert listed(response) == {deployments["oregon"].pk, deployments["florida"].pk}
    contracts = client.get("/contracts/", {"vendor": parent.slug})
    assert contracts.status_code == 200


def test_page_title_says_what_is_shown(client, deployments):
    response = client.get(LIST_URL, {"technology": "face-recognition", "region": "OR"})
    assert (
        "<title>Deployments: Oregon (US-OR), Face Recognition · Surveillance Tracker</title>"
        in response.content.decode()
    )
