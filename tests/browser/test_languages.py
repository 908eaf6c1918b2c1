"""A reader who reads Spanish first switches a filtered list to Spanish, searches from the
Spanish header, and switches back to English on the results."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import AgencyFactory, DeploymentFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_language_switcher_keeps_the_page_and_its_filters(page, screenshot_dir):
    agency = AgencyFactory(name="Fernwick Police Department", region="OR")
    DeploymentFactory(agency=agency)

    page.goto("/deployments/?region=OR")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Español").click()

    expect(page).to_have_url(re.compile(r"/es/deployments/\?region=OR$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("link", name="Enviar un aviso").first).to_be_visible()
    expect(page.get_by_role("link", name="Fernwick Police Department").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "deployments-in-spanish.png"))

    header_search = page.locator(".site-search")
    header_search.get_by_label("Buscar en el registro").fill("Fernwick")
    header_search.get_by_role("button", name="Buscar").click()
    expect(page).to_have_url(re.compile(r"/es/search/\?q=Fernwick$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=Fernwick$"))
    assert "/es/" not in page.url
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".site-search").get_by_role("button", name="Search")).to_be_visible()
    assert page.js_errors == []
