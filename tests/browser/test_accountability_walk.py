"""Issue 8's walk, as a visitor would take it in Chromium: from the motivating case's agency
page, that it acquired face recognition with no recorded public process, signed an NDA with
the vendor and cited it to refuse a records request — each fact one click from its sources,
the refusal at the page of the letter that says so —
and then every agency of the state ranked by how much the public was told."""

import io
import re

import pytest
from django.db import transaction
from playwright.sync_api import expect
from pypdf import PdfReader

from apps.demo.case import load_motivating_case
from apps.technologies.models import Technology

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AGENCY = "/agencies/washington-county-sheriffs-office-or/"


@pytest.fixture
def case():
    with transaction.atomic():
        load_motivating_case(
            {technology.slug: technology for technology in Technology.objects.all()}
        )


def test_from_the_agency_page_to_the_refused_request_and_the_state_ranking(page, case):
    page.goto(AGENCY)
    main = page.locator("main")
    expect(main).to_contain_text("No public process found")

    # The finding, one click away, cites its sources.
    main.locator('a[href^="/oversight/"]').first.click()
    expect(page).to_have_url(re.compile(r"/oversight/\d+/$"))
    expect(page.locator("main")).to_contain_text("No public process found")
    expect(page.locator('main a[href^="/sources/"]').first).to_be_visible()

    # The refused request: denied, the NDA it cited, and its sources.
    page.goto(AGENCY)
    denied = (
        main.locator("li, tr, article")
        .filter(has_text="Denied")
        .filter(has=page.locator('a[href^="/records-requests/"]'))
    )
    denied.locator('a[href^="/records-requests/"]').first.click()
    expect(page).to_have_url(re.compile(r"/records-requests/\d+/$"))
    request_page = page.locator("main")
    expect(request_page).to_contain_text("Denied")
    expect(request_page.locator('a[href^="/sources/"]').first).to_be_visible()
    request_path = re.search(r"/records-requests/\d+/", page.url).group(0)

    # The refusal is cited at its page: the link opens the uploaded letter at page 2, and
    # that page of the PDF holds the quoted words.
    refusal = request_page.locator("ol.sources li").filter(has_text="denial")
    expect(refusal).to_contain_text("p. 2")
    expect(refusal.locator("q")).to_contain_text("cited its non-disclosure agreement")
    page_link = refusal.locator("a.page-link")
    href = page_link.get_attribute("href")
    assert re.fullmatch(r"/sources/\d+/document\.pdf#page=2", href)
    document = page.request.get(href.split("#")[0])
    assert document.headers["content-type"] == "application/pdf"
    second_page = PdfReader(io.BytesIO(document.body())).pages[1].extract_text()
    assert "cited its non-disclosure agreement" in " ".join(second_page.split())

    # The NDA, from the request, lists the request it was cited to refuse.
    request_page.locator('a[href^="/ndas/"]').first.click()
    expect(page).to_have_url(re.compile(r"/ndas/\d+/$"))
    nda_page = page.locator("main")
    expect(nda_page).to_contain_text("Amazon")
    expect(nda_page.locator(f'a[href="{request_path}"]')).to_be_visible()

    # Every agency of Oregon ranked by how much the public was told.
    page.goto(AGENCY)
    page.get_by_role("link", name=re.compile("Compare with the agencies of Oregon")).click()
    expect(page).to_have_url(re.compile(r"/agencies/transparency/\?region=US-OR"))
    ranking = page.locator("main table")
    expect(ranking).to_contain_text("Washington County Sheriff")
    assert page.js_errors == []
