"""The map in Chromium, offline (no tiles: MAP_TILE_URL is empty in the test settings): the
filtered agencies appear as Leaflet markers, and a marker's popup links to the agency's
deployments under the same filters."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import AgencyFactory, DeploymentFactory, technology

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def deployments():
    oregon = AgencyFactory(
        name="Washington County Sheriff's Office",
        region="OR",
        latitude="45.522900",
        longitude="-122.989800",
    )
    florida = AgencyFactory(
        name="Orlando Police Department",
        region="FL",
        latitude="28.538300",
        longitude="-81.379200",
    )
    maine = AgencyFactory(
        name="Portland Police Department", region="ME", latitude="43.66", longitude="-70.26"
    )
    return {
        "oregon": DeploymentFactory(agency=oregon),
        "florida": DeploymentFactory(agency=florida),
        "plates": DeploymentFactory(
            agency=florida, technology=technology("automated-license-plate-readers")
        ),
        # Another technology: filtered out of the map.
        "maine": DeploymentFactory(agency=maine, technology=technology("drones")),
    }


def test_the_filtered_agencies_are_markers_whose_popup_opens_their_deployments(page, deployments):
    page.goto("/map/?technology=face-recognition")
    markers = page.locator(".leaflet-marker-icon.map-marker")
    expect(markers).to_have_count(2)
    expect(page.locator("#map-status")).to_have_text("2 agencies on the map.")
    # Coloured by the technology the filter leaves each agency.
    colour = f"map-colour-{technology('face-recognition').pk % 16}"
    expect(markers.first).to_have_class(re.compile(rf"\b{colour}\b"))
    # No tile was asked for: the markers stand on the map's own background.
    expect(page.locator(".leaflet-tile")).to_have_count(0)

    page.get_by_role("button", name="Orlando Police Department").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Face Recognition: 1 deployment")
    expect(popup).not_to_contain_text("License Plate")
    popup.get_by_role("link", name="See its deployment").click()
    expect(page).to_have_url(
        re.compile(r"/deployments/\?technology=face-recognition&agency=orlando-police-department")
    )
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Orlando Police Department")
    expect(rows.first).to_contain_text("Face Recognition")
    assert page.js_errors == []


def test_without_javascript_the_list_stands_in_for_the_map(browser, live_server, deployments):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/map/?technology=drones")
    expect(page.locator("#map")).to_be_hidden()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Portland Police Department")
    rows.first.get_by_role("link", name=re.compile("1 deployment")).click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody tr").first).to_contain_text("Drones")
    context.close()
