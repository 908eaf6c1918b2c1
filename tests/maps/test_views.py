"""/map/ and /map/agencies.geojson: the deployments list's selection (same FilterSet, same
query string) grouped by agency; published deployments only; the same errors as the list;
a server-rendered list for readers without JavaScript or tiles."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from apps.core.models import Visibility
from tests.factories import AgencyFactory, DeploymentFactory, technology

pytestmark = pytest.mark.django_db

MAP_URL = "/map/"
GEOJSON_URL = "/map/agencies.geojson"


@pytest.fixture
def agencies():
    return {
        "oregon": AgencyFactory(
            name="Washington County Sheriff's Office",
            kind="sheriff",
            region="OR",
            locality="Hillsboro",
            latitude="45.522900",
            longitude="-122.989800",
        ),
        "florida": AgencyFactory(
            name="Orlando Police Department",
            region="FL",
            locality="Orlando",
            latitude="28.538300",
            longitude="-81.379200",
        ),
        # No coordinates: listed, counted as not on the map, never a marker.
        "canada": AgencyFactory(name="Toronto Police Service", country="CA", region="ON"),
        "hidden": AgencyFactory(
            name="Hidden Police Department", region="WA", latitude="47.6", longitude="-122.3"
        ),
    }


@pytest.fixture
def deployments(agencies):
    made = {
        "oregon": DeploymentFactory(agency=agencies["oregon"], status="active"),
        "florida": DeploymentFactory(agency=agencies["florida"], status="pilot"),
        "plates": DeploymentFactory(
            agency=agencies["florida"],
            technology=technology("automated-license-plate-readers"),
            status="discontinued",
        ),
        "canada": DeploymentFactory(
            agency=agencies["canada"], technology=technology("drones"), status="proposed"
        ),
        "pending": DeploymentFactory(agency=agencies["hidden"]),
        "withdrawn": DeploymentFactory(agency=agencies["oregon"], technology=technology("drones")),
    }
    made["pending"].visibility = Visibility.PENDING
    made["pending"].save()
    made["withdrawn"].visibility = Visibility.WITHDRAWN
    made["withdrawn"].save()
    return made


def geojson(client, query=""):
    response = client.get(f"{GEOJSON_URL}?{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def features_by_name(collection):
    return {feature["properties"]["name"]: feature for feature in collection["features"]}


def listed_agencies(client, query=""):
    """The agencies of the deployments list's rows for `query` (every page)."""
    response = client.get("/deployments/", {**parse_qs(query), "page": "1"})
    assert response.status_code == 200
    # The list pages by cursor (no page count): one page means no Next.
    assert not response.context["page_obj"].has_next
    return {deployment.agency for deployment in response.context["object_list"]}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "technology=face-recognition",
        "technology=drones",
        "technology=automated-license-plate-readers&technology=drones",
        "status=pilot",
        "status=active&status=discontinued",
        "status=pilot&sort=agency",
        "region=OR",
        "region=fl",
        "country=CA",
        "agency_kind=sheriff",
        "agency=orlando-police-department-fl",
        "q=Orlando",
        "year=2016",
    ],
)
def test_geojson_holds_the_agencies_of_the_deployments_list_for_the_same_query(
    client, deployments, query
):
    expected = {
        agency.name for agency in listed_agencies(client, query) if agency.latitude is not None
    }
    assert set(features_by_name(geojson(client, query))) == expected
    # The page's list holds them too, with the agencies that have no coordinates.
    page = client.get(f"{MAP_URL}?{query}")
    assert {entry.agency.name for entry in page.context["object_list"]} == {
        agency.name for agency in listed_agencies(client, query)
    }


def test_a_filter_matching_nothing_is_an_empty_collection(client, deployments):
    collection = geojson(client, "technology=gunshot-detection")
    assert collection == {"type": "FeatureCollection", "features": []}


def test_points_are_longitude_then_latitude(client, deployments):
    feature = features_by_name(geojson(client))["Washington County Sheriff's Office"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [-122.9898, 45.5229]}


def test_properties_count_published_deployments_by_technology(client, deployments, agencies):
    features = features_by_name(geojson(client))
    florida = features["Orlando Police Department"]["properties"]
    assert florida["url"] == "http://testserver/agencies/orlando-police-department-fl/"
    assert florida["place"] == "Orlando, Florida"
    assert florida["deployments"] == 2
    assert florida["technologies"] == [
        {
            "slug": "automated-license-plate-readers",
            "name": "Automated License Plate Readers",
            "deployments": 1,
        },
        {"slug": "face-recognition", "name": "Face Recognition", "deployments": 1},
    ]
    assert florida["colour_key"] == "several"
    assert florida["colour"] == "several"
    # The Oregon sheriff's withdrawn drones do not count: one technology, its colour.
    oregon = features["Washington County Sheriff's Office"]["properties"]
    assert oregon["deployments"] == 1
    assert oregon["colour_key"] == "face-recognition"
    assert oregon["colour"] == str(technology("face-recognition").pk % 16)
    # Filtered to one technology, Orlando is coloured by it.
    florida = features_by_name(geojson(client, "technology=face-recognition"))[
        "Orlando Police Department"
    ]["properties"]
    assert (florida["deployments"], florida["colour_key"]) == (1, "face-recognition")


def test_each_agency_links_to_its_deployments_under_the_same_filters(client, deployments):
    feature = features_by_name(geojson(client, "status=pilot&status=discontinued&sort=agency"))
    link = feature["Orlando Police Department"]["properties"]["deployments_url"]
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "testserver", "/deployments/")
    assert parse_qs(parts.query) == {
        "status": ["pilot", "discontinued"],
        "sort": ["agency"],
        "agency": ["orlando-police-department-fl"],
    }
    response = client.get(f"{parts.path}?{parts.query}")
    assert {d.pk for d in response.context["object_list"]} == {
        deployments["florida"].pk,
        deployments["plates"].pk,
    }


def test_an_agency_filter_in_use_is_replaced_in_the_links_not_added_to(
    client, deployments, agencies
):
    oregon, florida = agencies["oregon"].slug, agencies["florida"].slug
    features = geojson(client, f"agency={oregon}&agency={florida}")["features"]
    links = {
        feature["properties"]["name"]: parse_qs(
            urlsplit(feature["properties"]["deployments_url"]).query
        )
        for feature in features
    }
    assert links == {
        "Orlando Police Department": {"agency": [florida]},
        "Washington County Sheriff's Office": {"agency": [oregon]},
    }


def test_pending_and_withdrawn_deployments_are_never_on_the_map(client, deployments):
    assert "Hidden Police Department" not in features_by_name(geojson(client))
    assert "Hidden Police Department" not in features_by_name(
        geojson(client, "region=WA&technology=face-recognition")
    )
    # The Oregon sheriff's only drones are withdrawn.
    assert "Washington County Sheriff's Office" not in features_by_name(
        geojson(client, "technology=drones")
    )
    # (The agency itself is published: the filter form still suggests it.)
    page = client.get(MAP_URL).content.decode()
    assert "Hidden Police Department" not in page.split("<tbody>")[1]
    drones = client.get(f"{MAP_URL}?technology=drones").content.decode()
    assert "Washington County Sheriff" not in drones.split("<tbody>")[1]
    assert "Drones <small>(1 deployment)</small>" in drones


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("technology=nope", "No technology has the identifier"),
        ("region=Atlantis", "No region"),
        ("year=banana", "Enter a whole number"),
        ("status=maybe", "Select a valid choice"),
    ],
)
def test_bad_filter_values_are_a_400_with_the_list_s_reason(client, deployments, query, message):
    response = client.get(f"{GEOJSON_URL}?{query}")
    assert response.status_code == 400
    body = json.loads(response.content)
    assert any(message in error for error in body["errors"])
    # The same words as the deployments list, and the map page, say.
    assert message in client.get(f"/deployments/?{query}").content.decode()
    page = client.get(f"{MAP_URL}?{query}")
    assert page.status_code == 400
    content = page.content.decode()
    assert "This list could not be filtered" in content
    assert message in content
    assert 'id="map"' not in content
    assert "<tbody>" not in content


def test_the_geojson_query_count_is_fixed(client, django_assert_num_queries):
    for _ in range(3):
        DeploymentFactory(agency=AgencyFactory(latitude="45.5", longitude="-122.6"))
    # One grouped query: the agencies with their deployments by technology.
    with django_assert_num_queries(1):
        assert len(geojson(client)["features"]) == 3
    for _ in range(10):
        agency = AgencyFactory(latitude="40.7", longitude="-74.0")
        DeploymentFactory(agency=agency)
        DeploymentFactory(agency=agency, technology=technology("drones"))
    with django_assert_num_queries(1):
        assert len(geojson(client)["features"]) == 13
    # Plus the filter's own look-up of the technology it names.
    with django_assert_num_queries(2):
        assert len(geojson(client, "technology=drones")["features"]) == 10


def test_the_page_query_count_is_fixed(client, django_assert_num_queries):
    for _ in range(3):
        DeploymentFactory(agency=AgencyFactory(latitude="45.5", longitude="-122.6"))
    # count and page of agencies, their technologies, the legend, the agencies without
    # coordinates, and the form's suggestions: regions, agencies, technologies, vendors,
    # products.
    with django_assert_num_queries(10):
        client.get(MAP_URL)
    for _ in range(12):
        agency = AgencyFactory()
        DeploymentFactory(agency=agency)
        DeploymentFactory(agency=agency, technology=technology("drones"))
    with django_assert_num_queries(10):
        response = client.get(MAP_URL)
    assert len(response.context["object_list"]) == 15


def test_without_javascript_the_page_lists_the_agencies_with_the_filter_form(client, deployments):
    response = client.get(f"{MAP_URL}?country=US&country=CA")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<form method="get" class="filters"' in content
    assert 'name="technology"' in content
    # Listed by name: the deployments' sort orders are not offered.
    assert 'name="sort"' not in content
    rows = re.findall(r"<tr>(.*?)</tr>", content.split("<tbody>")[1], re.S)
    assert [re.search(r">([^<]+)</a>", row).group(1) for row in rows] == [
        "Orlando Police Department",
        "Toronto Police Service",
        "Washington County Sheriff&#x27;s Office",
    ]
    orlando, toronto, oregon = rows
    assert 'href="/agencies/orlando-police-department-fl/"' in orlando
    assert "Florida" in orlando
    assert "Automated License Plate Readers" in orlando
    assert "Face Recognition" in orlando
    assert (
        'href="/deployments/?country=US&amp;country=CA&amp;agency=orlando-police-department-fl"'
        in orlando
    )
    assert "2 deployments" in orlando
    assert "not on the map" not in orlando
    assert "not on the map" in toronto
    assert "Drones" in toronto
    assert "1 deployment<" in oregon
    assert "1 agency not on the map" in content
    assert "Showing 1–3 of 3 agencies." in content
    # The legend: the selection's technologies, with their counts.
    assert "Face Recognition <small>(2 deployments)</small>" in content


def test_the_list_is_paginated(client, settings):
    settings.LIST_PAGE_SIZE = 2
    for _ in range(3):
        DeploymentFactory()
    first = client.get(MAP_URL)
    second = client.get(MAP_URL, {"page": 2})
    assert len(first.context["object_list"]) == 2
    assert len(second.context["object_list"]) == 1
    entries = first.context["object_list"] + second.context["object_list"]
    names = {entry.agency.name for entry in entries}
    assert len(names) == 3
    assert client.get(MAP_URL, {"page": 3}).status_code == 404


def test_the_map_reads_its_data_and_tiles_from_attributes_not_inline_script(
    client, deployments, settings
):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = '&copy; <a href="https://example.org">Example</a>'
    content = client.get(f"{MAP_URL}?technology=face-recognition").content.decode()
    assert 'data-geojson="/map/agencies.geojson?technology=face-recognition"' in content
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in content
    assert 'data-tile-attribution="&amp;copy; &lt;a href=&quot;https://example.org' in content
    # A strict Content-Security-Policy will forbid inline scripts and styles.
    assert not re.search(r"<script(?![^>]*\bsrc=)", content)
    assert " style=" not in content
    assert "<style" not in content
    # Every script and style sheet is our own (vendored), none from another host.
    for address in re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', content):
        assert address.startswith("/static/"), address
    for vendored in (
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet/leaflet.css",
        "/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
        "/static/js/map.js",
    ):
        assert vendored in content


def test_the_deployments_list_links_to_the_map_of_its_selection(client, deployments):
    content = client.get("/deployments/?technology=drones&region=ON&page=1").content.decode()
    assert 'href="/map/?technology=drones&amp;region=ON"' in content
    assert 'href="/map/"' in client.get("/").content.decode()
