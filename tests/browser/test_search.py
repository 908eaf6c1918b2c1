"""Someone types a misspelled vendor into the search box in the header, finds it and goes
to its page."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ProductFactory, VendorFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_misspelled_vendor_typed_in_the_header_is_found(page, screenshot_dir):
    vendor = VendorFactory(name="Amazon Web Services")
    ProductFactory(vendor=vendor, name="Rekognition")
    page.goto("/deployments/")
    box = page.get_by_role("search").get_by_label("Search the registry")
    box.fill("Amazn Web Servises")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amazn Web Servises")
    vendors = page.locator("#results-vendors")
    expect(vendors.get_by_role("heading")).to_contain_text("Vendors (1)")
    page.screenshot(path=str(screenshot_dir / "search-misspelled-vendor.png"))
    vendors.get_by_role("link", name="Amazon Web Services").click()
    expect(page).to_have_url(re.compile(re.escape(vendor.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amazon Web Services")
    assert page.js_errors == []
