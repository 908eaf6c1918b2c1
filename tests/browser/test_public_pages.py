"""The public list on a phone-sized screen: nothing wider than the screen, and the filter
form works as a plain GET form."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import AgencyFactory, DeploymentFactory, VendorFactory, technology

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def deployments():
    """Three deployments with different statuses, one with long names that must wrap."""
    agency = AgencyFactory(
        name="Metropolitan Transportation Authority Police Department of Greater Example",
        locality="Example Springs",
    )
    vendor = VendorFactory(name="Integrated Surveillance Analytics International Holdings")
    DeploymentFactory(agency=agency, vendor=vendor, product=None, status="active")
    DeploymentFactory(technology=technology("drones"), product=None, vendor=None, status="pilot")
    DeploymentFactory(
        technology=technology("body-worn-cameras"), product=None, vendor=None, status="banned"
    )


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_deployments_list_is_no_wider_than_a_phone(page, deployments, screenshot_dir):
    page.set_viewport_size(PHONE)
    page.goto("/deployments/")
    expect(page.locator("table tbody tr")).to_have_count(3)
    page.screenshot(path=str(screenshot_dir / "deployments-phone.png"), full_page=True)
    assert page_width(page) <= PHONE["width"]
    assert page.js_errors == []


def test_the_filter_form_works_on_a_phone(page, deployments, screenshot_dir):
    page.set_viewport_size(PHONE)
    page.goto("/deployments/")
    expect(page.locator("table tbody tr")).to_have_count(3)

    # On a phone the filters come after the results, one link away.
    page.get_by_role("link", name="Filter or sort this list").click()
    page.get_by_role("checkbox", name="Pilot / trial").check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"/deployments/\?(.*&)?status=pilot(&|$)"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Pilot / trial")
    expect(page.get_by_role("checkbox", name="Pilot / trial")).to_be_checked()
    page.screenshot(path=str(screenshot_dir / "deployments-phone-filtered.png"), full_page=True)
    assert page.js_errors == []
