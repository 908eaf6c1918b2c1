"""Filters as a journalist types them, in Chromium: "Oregon" in the home page's state box
finds Oregon; several values of one filter are "any of", each a chip that removes it alone."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import AgencyFactory, DeploymentFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def deployments():
    return {
        "oregon": DeploymentFactory(
            agency=AgencyFactory(name="Washington County Sheriff's Office", region="OR")
        ),
        "washington": DeploymentFactory(
            agency=AgencyFactory(name="Seattle Police Department", region="WA"), status="pilot"
        ),
        "florida": DeploymentFactory(
            agency=AgencyFactory(name="Orlando Police Department", region="FL"),
            status="banned",
        ),
    }


def test_typing_oregon_in_the_home_state_box_finds_oregon(page, deployments):
    page.goto("/")
    state_box = page.get_by_label("State or region", exact=True)  # not the region chart
    state_box.fill("Oregon")
    expect(state_box).to_have_value("Oregon")  # not cut to "Ore"
    page.get_by_role("button", name="Show deployments").click()
    expect(page).to_have_url(re.compile(r"/deployments/\?region=Oregon"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Washington County Sheriff's Office")
    expect(page.locator(".active-filters")).to_contain_text("Oregon (US-OR)")
    assert page.js_errors == []


def test_several_values_are_any_of_with_a_chip_each(page, deployments):
    page.goto("/deployments/")
    page.get_by_label("Region", exact=True).fill("Oregon")
    page.get_by_role("button", name="Apply filters").click()
    # The form now offers an empty box for another region.
    page.get_by_label("Region: or also").fill("wa")
    page.get_by_role("checkbox", name="Active").check()
    page.get_by_role("checkbox", name="Pilot / trial").check()
    page.get_by_role("button", name="Apply filters").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    chips = page.locator(".active-filters li")
    expect(chips).to_have_count(4)
    page.get_by_role("link", name="Remove filter Region: Oregon (US-OR)").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Seattle Police Department")
    csv_link = page.get_by_role("link", name="CSV")
    expect(csv_link).to_have_attribute(
        "href", "/deployments/export.csv?sort=-start&region=US-WA&status=pilot&status=active"
    )
    assert page.js_errors == []


def test_from_an_agency_to_its_region_and_a_chart_bar_to_the_list_it_counts(
    page, deployments, screenshot_dir
):
    oregon = deployments["oregon"]
    DeploymentFactory(agency=oregon.agency, technology=oregon.technology, status="pilot")
    page.goto(oregon.agency.get_absolute_url())
    page.get_by_role("link", name="Oregon", exact=True).click()
    expect(page).to_have_url(re.compile(r"/regions/US/OR/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Oregon")
    chart = page.locator("figure.chart", has_text="by technology").first
    expect(chart.locator("svg title").first).to_be_attached()
    # The bar, pointed at and clicked like a reader would: its number is the list's count.
    bar = chart.locator("a.chart-row").first
    shown = int(bar.locator("text.chart-value").text_content())
    assert shown == 2
    page.screenshot(path=str(screenshot_dir / "region-page.png"), full_page=True)
    bar.click()
    expect(page).to_have_url(re.compile(r"/deployments/\?country=US&region=OR&technology="))
    expect(page.locator("table tbody tr")).to_have_count(shown)
    assert page.js_errors == []
