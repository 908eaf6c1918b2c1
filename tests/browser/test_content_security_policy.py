"""The site under its Content-Security-Policy in Chromium: the public pages, the API docs, a
volunteer's record form and the Django admin run without one violation, and what they do
with JavaScript still works (the map's markers and tiles, copying a citation, autocomplete,
the account menu). A page script that injects an inline script or style is blocked and
reported, which proves the listener would see a violation if there were one."""

import logging
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from tests.browser.conftest import csp_violations, pass_code_step
from tests.browser.test_volunteer_flow import PASSWORD, log_in, pick_agency
from tests.factories import (
    AgencyFactory,
    DeploymentFactory,
    UserFactory,
    authenticator_for,
    member_of,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AGENCY = "Washington County Sheriff's Office"
# A {s} template: the policy must allow every subdomain the map asks (a, b, c).
TILE_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
TILE_PNG = (
    Path(django_settings.BASE_DIR) / "static/vendor/leaflet/images/marker-icon.png"
).read_bytes()


@pytest.fixture
def deployment():
    agency = AgencyFactory(
        name=AGENCY, region="OR", locality="Hillsboro", latitude="45.5229", longitude="-122.9898"
    )
    return DeploymentFactory(agency=agency, status="active")


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def assert_no_violation(page):
    assert csp_violations(page) == [], page.url


def test_the_public_pages_run_under_the_policy_without_a_violation(page, settings, deployment):
    # Tiles from another host, answered by the test: the browser asks for them only if the
    # policy's img-src allows that host (offline otherwise; the test settings have none).
    settings.MAP_TILE_URL = TILE_URL
    tiles = []

    def serve_tile(route):
        tiles.append(route.request.url)
        route.fulfill(body=TILE_PNG, content_type="image/png")

    page.route("https://*.tiles.example.org/**", serve_tile)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    visit(page, "/")
    assert_no_violation(page)

    visit(page, "/deployments/?status=active&region=OR")
    expect(page.get_by_role("link", name=AGENCY).first).to_be_visible()
    assert_no_violation(page)

    visit(page, deployment.agency.get_absolute_url())
    assert_no_violation(page)

    # A deployment's page: "Cite this" and its copy button (static/js/copy-citation.js).
    visit(page, deployment.get_absolute_url())
    page.get_by_text("Cite this", exact=True).click()
    page.get_by_role("button", name="Copy citation").click()
    expect(page.locator(".cite-this .copy-status")).to_have_text("Copied.")
    assert_no_violation(page)

    # The map: Leaflet and markercluster (vendored) draw the marker and the tiles.
    visit(page, "/map/?technology=face-recognition")
    expect(page.locator(".leaflet-marker-icon.map-marker")).to_have_count(1)
    expect(page.locator("#map-status")).to_have_text("1 agency on the map.")
    expect(page.locator(".leaflet-tile-loaded").first).to_be_visible()
    assert tiles and all(".tiles.example.org/" in url for url in tiles)
    # Leaflet positions tiles and markers through element.style, which the policy allows.
    assert page.locator(".leaflet-marker-icon").first.evaluate("el => el.style.transform")
    assert_no_violation(page)

    visit(page, "/search/?q=sheriff")
    expect(page.get_by_role("link", name=AGENCY).first).to_be_visible()
    assert_no_violation(page)

    # The tip form's own stylesheet (static/css/tips.css, once a <style> block) applies.
    visit(page, "/submit/")
    assert page.locator(".tip-form").evaluate("el => getComputedStyle(el).maxWidth") == "736px"
    assert_no_violation(page)

    # Swagger UI from vendored files, started by static/js/api-docs.js.
    visit(page, "/api/v1/docs/")
    operation = page.locator("#operations-deployments-deployments_list")
    expect(operation).to_contain_text("/api/v1/deployments/")
    operation.locator(".opblock-summary").click()
    expect(operation.locator("tr[data-param-name='region']")).to_be_visible()
    assert page.locator("body").evaluate("el => getComputedStyle(el).margin") == "0px"
    assert_no_violation(page)

    visit(page, "/admin/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert_no_violation(page)

    assert page.csp_messages == []
    assert page.js_errors == []


def test_a_volunteer_s_record_form_runs_under_the_policy_without_a_violation(page, deployment):
    member_of("Volunteers", username="vera", display_name="Vera Volunteer")
    log_in(page, "vera")
    assert_no_violation(page)

    page.goto("/deployments/new/")
    # Autocomplete (static/js/autocomplete.js) fetches suggestions and fills a <datalist>.
    assert pick_agency(page, "Washington Cou", AGENCY).startswith(AGENCY)
    datalist = page.locator(f"datalist#{page.locator('#id_agency').get_attribute('list')}")
    expect(datalist.locator("option").first).to_be_attached()
    assert_no_violation(page)

    # The account menu opens, and static/js/account-menu.js closes it on a click elsewhere.
    menu = page.locator(".account-menu details")
    menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    page.locator("h1").first.click()
    expect(menu).not_to_have_attribute("open", "")
    assert_no_violation(page)

    assert page.csp_messages == []
    assert page.js_errors == []


def test_the_admin_runs_under_the_policy_without_a_violation(page, deployment):
    ada = UserFactory(username="ada", is_staff=True, is_superuser=True)
    authenticator_for(ada)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The admin asks for a session past the two-factor code step.
    pass_code_step(page, ada)
    assert_no_violation(page)
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    assert_no_violation(page)
    # A change list (its actions and filters) and a change form (its widgets' scripts).
    visit(page, "/admin/deployments/deployment/")
    expect(page.locator("#result_list")).to_contain_text(AGENCY)
    assert_no_violation(page)
    visit(page, f"/admin/deployments/deployment/{deployment.pk}/change/")
    expect(page.locator("#deployment_form")).to_be_visible()
    assert_no_violation(page)

    assert page.csp_messages == []
    assert page.js_errors == []


def test_an_injected_inline_script_and_style_are_blocked_and_reported(page, caplog, deployment):
    caplog.set_level(logging.WARNING, logger="apps.core.csp")
    visit(page, deployment.agency.get_absolute_url())
    assert_no_violation(page)

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__injectedRan = true;";
          document.body.append(script);
          document.querySelector("h1").setAttribute("style", "color: rgb(255, 0, 0)");
        }"""
    )
    page.wait_for_function("window.__cspViolations.length >= 2")
    directives = {violation["directive"] for violation in csp_violations(page)}
    assert {"script-src-elem", "style-src-attr"} <= directives
    assert page.evaluate("window.__injectedRan === undefined")
    heading_colour = page.locator("h1").first.evaluate("el => getComputedStyle(el).color")
    assert heading_colour != "rgb(255, 0, 0)"
    assert any("Content Security Policy" in message for message in page.csp_messages)

    # The browser reports them to csp_report, which logs each one.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        logged = {record.directive for record in caplog.records if record.name == "apps.core.csp"}
        if {"script-src-elem", "style-src-attr"} <= logged:
            break
        page.wait_for_timeout(200)
    assert {"script-src-elem", "style-src-attr"} <= logged
    document = next(r.document_uri for r in caplog.records if r.name == "apps.core.csp")
    assert document.endswith(deployment.agency.get_absolute_url())
