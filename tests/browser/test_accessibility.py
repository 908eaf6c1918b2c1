"""Accessibility in a real browser: axe-core (axe-playwright-python) scans every public page
and every editing page at desktop and phone widths and finds no serious or critical
violation; filtering, searching, editing and sending a tip work with the keyboard alone,
each focused control showing that it has the focus. Screenshots of the pages scanned are
kept as the run's artifacts (TEST_ARTIFACTS_DIR, else a temporary folder)."""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from apps.core.models import Visibility
from apps.records.models import ChangeRequest
from tests.browser.conftest import sign_in_browser
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    ProductFactory,
    RecordsRequestFactory,
    ResponseDeadlineFactory,
    TipFactory,
    VendorFactory,
    member_of,
    technology,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# axe-core's impact levels that fail the scan; "moderate" and "minor" are reported by axe
# but left to judgement.
FAILING_IMPACTS = {"serious", "critical"}
AGENCY = "Washington County Sheriff's Office"
# The "not found" page is scanned too; every other page scanned must answer 200.
MISSING_PAGE = "/a-page-that-does-not-exist/"
# How many times the Tab key may be pressed to reach a control before the test gives up: a
# page whose control cannot be reached by keyboard fails instead of looping.
MAX_TABS = 200

axe = Axe()


@pytest.fixture(scope="session")
def artifact_dir(tmp_path_factory):
    """Where the screenshots go: TEST_ARTIFACTS_DIR when set (CI can keep the folder),
    else a temporary folder."""
    configured = os.environ.get("TEST_ARTIFACTS_DIR")
    if configured:
        folder = Path(configured) / "accessibility"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("accessibility")


@pytest.fixture
def registry():
    """One published record of every kind, linked as on the real site, and what a reviewer
    sees waiting: a volunteer's pending new deployment and a tip."""
    agency = AgencyFactory(name=AGENCY, kind="sheriff", region="OR", locality="Hillsboro")
    vendor = VendorFactory(name="Example Vision Systems")
    product = ProductFactory(vendor=vendor, name="FaceFinder")
    deployment = DeploymentFactory(agency=agency, vendor=vendor, product=product)
    contract = ContractFactory(agency=agency, vendor=vendor)
    contract.deployments.add(deployment)
    nda = NdaFactory(agency=agency, counterparty_vendor=vendor)
    request = RecordsRequestFactory(agency=agency)
    deadline = ResponseDeadlineFactory(region="OR")
    event = OversightEventFactory(agency=agency)
    volunteer = member_of("Volunteers", username="vera", display_name="Vera Volunteer")
    pending = DeploymentFactory(
        agency=agency, technology=technology("drones"), visibility=Visibility.PENDING
    )
    change = ChangeRequest.objects.create(record=pending, action="create", author=volunteer)
    TipFactory(agency_name=AGENCY, description="The sheriff flies drones over protests.")
    return {
        "agency": agency,
        "deployment": deployment,
        "volunteer": volunteer,
        "reviewer": member_of("Reviewers", username="rita", display_name="Rita Reviewer"),
        "public": [
            "/",
            "/deployments/",
            "/deployments/?technology=face-recognition&status=active&sort=agency",
            deployment.get_absolute_url(),
            f"{deployment.get_absolute_url()}history/",
            "/agencies/",
            agency.get_absolute_url(),
            "/vendors/",
            vendor.get_absolute_url(),
            "/products/",
            product.get_absolute_url(),
            "/technologies/",
            "/technologies/face-recognition/",
            "/contracts/",
            contract.get_absolute_url(),
            "/ndas/",
            nda.get_absolute_url(),
            "/records-requests/",
            request.get_absolute_url(),
            "/response-deadlines/",
            deadline.get_absolute_url(),
            "/oversight/",
            event.get_absolute_url(),
            "/sources/",
            deployment.sources.get().get_absolute_url(),
            "/regions/",
            "/regions/US/OR/",
            "/map/",
            "/search/?q=sheriff",
            "/changes/",
            "/data/",
            "/submit/",
            "/accounts/login/",
            "/accounts/password/reset/",
            MISSING_PAGE,
            # The Spanish interface (README, "Languages"): longer words, the same layout.
            "/es/",
            "/es/deployments/",
            f"/es{deployment.get_absolute_url()}",
            "/es/submit/",
        ],
        "volunteer_pages": [
            "/deployments/new/",
            f"{deployment.get_absolute_url()}edit/",
            "/agencies/new/",
            "/sources/new/",
            "/contributions/",
            "/accounts/profile/",
            "/accounts/two-factor/",
            "/accounts/two-factor/setup/",
        ],
        "reviewer_pages": [
            "/review/",
            f"/changes/{change.pk}/",
            "/submit/review/",
            "/accounts/invitations/",
            f"{deployment.get_absolute_url()}history/",
            f"/agencies/{agency.slug}/merge/",
        ],
    }


def failing_violations(page):
    """axe-core's serious and critical violations on the page now open, one line each."""
    results = axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}; at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


def scan(page, paths, folder, prefix):
    """Open each page, scan it and save its screenshot; returns {path: [violations]} for
    the pages with any."""
    problems = {}
    for path in paths:
        response = page.goto(path)
        assert response.status == (404 if path == MISSING_PAGE else 200), path
        found = failing_violations(page)
        if found:
            problems[path] = found
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        page.screenshot(path=str(folder / f"{prefix}-{name}.png"), full_page=True)
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_have_no_serious_accessibility_violations(page, registry, artifact_dir, width):
    page.set_viewport_size(WIDTHS[width])
    assert scan(page, registry["public"], artifact_dir, width) == {}
    assert page.js_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_editing_pages_have_no_serious_accessibility_violations(
    page, live_server, registry, artifact_dir, width
):
    page.set_viewport_size(WIDTHS[width])
    sign_in_browser(page, live_server, registry["volunteer"])
    page.goto("/deployments/new/")
    expect(page.get_by_role("button", name="Submit for review")).to_be_visible()
    assert scan(page, registry["volunteer_pages"], artifact_dir, f"{width}-volunteer") == {}
    # The same form with its errors shown: each error is tied to its field.
    page.goto("/deployments/new/")
    # Past the browser's own checks of required fields, to the server's messages.
    page.locator("form:has(button:text('Submit for review'))").evaluate(
        "(form) => { form.noValidate = true; }"
    )
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".field-errors").first).to_be_visible()
    assert failing_violations(page) == []
    assert page.js_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_review_pages_have_no_serious_accessibility_violations(
    page, live_server, registry, artifact_dir, width
):
    page.set_viewport_size(WIDTHS[width])
    sign_in_browser(page, live_server, registry["reviewer"])
    page.goto("/review/")
    expect(page.get_by_role("button", name="Approve")).to_be_visible()
    assert scan(page, registry["reviewer_pages"], artifact_dir, f"{width}-reviewer") == {}
    assert page.js_errors == []


def has_focus(control):
    return control.evaluate("(element) => element === document.activeElement")


def tab_to(page, control):
    """Press Tab until `control` (a Locator) has the focus, checking on the way that every
    focused control shows a focus indicator."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        assert focus_is_visible(page), describe_focus(page)
        if has_focus(control):
            return
    pytest.fail(f"{control} was not reached with {MAX_TABS} presses of Tab on {page.url}")


def describe_focus(page):
    return page.evaluate(
        "() => `no visible focus on ${document.activeElement.outerHTML.slice(0, 200)}`"
    )


def focus_is_visible(page):
    """The focused element draws an outline or a box shadow (the site's :focus-visible
    style), or is the page itself. A date field's calendar button is inside the browser's
    own part of the field, out of reach of the site's styles (the field itself then does
    not match :focus): the browser draws that button's ring."""
    return page.evaluate(
        """() => {
          const element = document.activeElement;
          if (!element || element === document.body) return true;
          const dateField = ["date", "datetime-local", "month", "time", "week"];
          if (dateField.includes(element.type) && !element.matches(":focus")) return true;
          const style = getComputedStyle(element);
          const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
          return outline || style.boxShadow !== "none";
        }"""
    )


def test_filtering_a_list_with_the_keyboard(page, registry):
    DeploymentFactory(technology=technology("drones"), product=None, vendor=None)
    page.goto("/deployments/")
    tab_to(page, page.get_by_label("Technology"))
    page.keyboard.type("Face")  # a closed <select> takes the option its typing matches
    tab_to(page, page.get_by_role("button", name="Apply filters"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"technology=face-recognition"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(AGENCY)


def test_searching_with_the_keyboard_from_the_top_of_a_page(page, registry):
    page.goto("/")
    page.keyboard.press("Tab")
    # The first stop skips to the content.
    assert has_focus(page.get_by_role("link", name="Skip to content"))
    tab_to(page, page.get_by_role("searchbox", name="Search the registry"))
    page.keyboard.type("Washington County")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Washington"))
    expect(page.get_by_role("link", name=AGENCY).first).to_be_visible()


def test_editing_a_record_with_the_keyboard(page, live_server, registry):
    deployment = registry["deployment"]
    sign_in_browser(page, live_server, registry["volunteer"])
    page.goto(f"{deployment.get_absolute_url()}edit/")
    tab_to(page, page.get_by_label("Summary", exact=True))
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Searches booking photos, typed with the keyboard alone.")
    tab_to(page, page.get_by_label("Edit summary"))
    page.keyboard.type("Keyboard edit")
    tab_to(page, page.get_by_role("button", name="Submit for review"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("waiting for a reviewer")).to_be_visible()
    change = ChangeRequest.objects.filter(object_id=deployment.pk, action="update").get()
    assert change.payload["summary"] == ["Searches booking photos, typed with the keyboard alone."]


def test_sending_a_tip_with_the_keyboard(page, registry):
    page.goto("/submit/")
    tab_to(page, page.get_by_label("What technology?"))
    page.keyboard.type("Drones")
    tab_to(page, page.get_by_label("Which agency?"))
    page.keyboard.type(AGENCY)
    tab_to(page, page.get_by_label("What do you know?"))
    page.keyboard.type("The sheriff's office flew a drone over the march on Saturday.")
    tab_to(page, page.get_by_role("button", name="Send the tip"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/submit/thanks/"))
    assert page.js_errors == []
