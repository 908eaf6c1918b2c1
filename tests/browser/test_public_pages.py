"""The public list on a phone-sized screen: nothing wider than the screen, no table cell cut
off, and the filter form works as a plain GET form; the review queue on a phone too."""

import re

import pytest
from playwright.sync_api import expect

from apps.core.models import Visibility
from apps.records.models import ChangeRequest
from tests.browser.conftest import log_in
from tests.conftest import member_of
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    ProductFactory,
    TipFactory,
    VendorFactory,
    technology,
)

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
    marked = DeploymentFactory(agency=agency, vendor=vendor, product=None, status="active")
    # Both markers on the long row, so the widest row is on the page.
    NdaFactory(agency=agency, counterparty_vendor=vendor)
    ContractFactory(agency=agency, vendor=vendor).deployments.add(marked)
    DeploymentFactory(technology=technology("drones"), product=None, vendor=None, status="pilot")
    DeploymentFactory(
        technology=technology("body-worn-cameras"), product=None, vendor=None, status="banned"
    )


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def clipped_cells(page):
    """The table cells (and their contents) that do not lie wholly inside the screen's width:
    cut off by a scroll box, or off the page. Headings hidden for screen readers only (the
    stacked layout labels each cell instead) do not count."""
    return page.evaluate(
        """(width) => Array.from(document.querySelectorAll("td, th")).filter((cell) => {
            const head = cell.closest("thead");
            if (head && head.getBoundingClientRect().width <= 1) return false;
            const box = cell.getBoundingClientRect();
            const inside = (b) => b.left >= -0.5 && b.right <= width + 0.5;
            const children = Array.from(cell.querySelectorAll("*")).filter(
                (el) => el.getClientRects().length > 0 && !el.closest(".visually-hidden"));
            return box.width > 0 && (!inside(box) || !children.every(
                (el) => inside(el.getBoundingClientRect())));
        }).map((cell) => cell.textContent.trim().slice(0, 60))""",
        PHONE["width"],
    )


def test_no_deployment_cell_is_cut_off_on_a_phone(page, deployments, screenshot_dir):
    page.set_viewport_size(PHONE)
    page.goto("/deployments/")
    expect(page.locator("table tbody tr")).to_have_count(3)
    page.screenshot(path=str(screenshot_dir / "deployments-stacked.png"), full_page=True)
    assert clipped_cells(page) == []
    # Each value still says which column it belongs to, and the markers say what they mean.
    row = page.locator("table tbody tr").filter(has_text="Metropolitan Transportation")
    expect(row.locator('td[data-label="Vendor / product"]')).to_contain_text("Integrated")
    expect(row.get_by_role("link", name=re.compile(r"^NDA"))).to_be_visible()
    expect(row.get_by_role("link", name=re.compile(r"^Contract"))).to_be_visible()
    assert page.js_errors == []


def test_no_cell_of_the_other_profile_lists_is_cut_off_on_a_phone(page, deployments):
    ProductFactory(name="Integrated Surveillance Analytics Platform for Transit Authorities")
    page.set_viewport_size(PHONE)
    for url in ("/agencies/", "/vendors/", "/products/"):
        page.goto(url)
        expect(page.locator("table tbody tr").first).to_be_visible()
        assert clipped_cells(page) == [], url
    assert page.js_errors == []


def test_no_review_queue_cell_is_cut_off_on_a_phone(page, live_server, screenshot_dir):
    member_of("Reviewers", username="rita")
    volunteer = member_of("Volunteers", username="vera")
    # A volunteer's new record waits whole in the queue, with a long unbroken address.
    deployment = DeploymentFactory(
        visibility=Visibility.PENDING,
        product=ProductFactory(name="Integrated Surveillance Analytics Platform"),
        summary="The county's released records (https://records.example.org/"
        "washington-county-sheriff-face-recognition-procurement-2017.pdf) describe "
        "searches of about 300,000 booking photos.",
    )
    ChangeRequest.objects.create(
        record=deployment, action="create", author=volunteer, summary="New from the records"
    )
    TipFactory(
        source_url="https://records.example.org/washington-county-sheriff-face-recognition"
        "-procurement-2017-released-documents-volume-2.pdf"
    )
    page.set_viewport_size(PHONE)
    log_in(page, "rita")  # with the two-factor code step
    page.goto("/review/")
    item = page.locator("article.queue-item")
    expect(item).to_have_count(1)
    expect(item.locator("table.diff td").first).to_be_visible()
    expect(page.locator("article.tip")).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "review-queue-phone.png"), full_page=True)
    assert clipped_cells(page) == []
    assert page_width(page) <= PHONE["width"]
    assert page.js_errors == []


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
