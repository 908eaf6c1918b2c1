"""A reader cites an agency: "Cite this" opens under the heading with the permalink, the
version and today's date, and the copy button puts the citation on the clipboard."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import AgencyFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_reader_copies_the_citation_of_an_agency(page, live_server):
    agency = AgencyFactory(name="Washington County Sheriff's Office")
    version = agency.history.count()
    permalink = f"{live_server.url}{agency.get_absolute_url()}"
    expected = (
        f"Washington County Sheriff's Office. Surveillance Tracker, version {version}. "
        f"{permalink} (retrieved {timezone.localdate().isoformat()})."
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(agency.get_absolute_url())

    citation = page.locator(".cite-this .citation")
    expect(citation).to_be_hidden()
    page.get_by_text("Cite this", exact=True).click()
    expect(citation).to_have_text(expected)
    expect(page.locator(".cite-this").get_by_role("link", name=permalink)).to_be_visible()

    page.get_by_role("button", name="Copy citation").click()
    expect(page.locator(".cite-this .copy-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert page.js_errors == []
