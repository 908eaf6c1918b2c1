"""Flows in Chromium: a journalist downloads a filtered list (CSV, then JSON Lines) and gets
one row per record the page counts; downloads it again from the page cache, and gets the
new record once one is published; a reviewer reverts an edit from the history page,
confirming with a reason that the history then shows."""

import csv
import io
import json

import pytest
from django.core.cache import caches
from playwright.sync_api import expect

from apps.agencies.models import Agency
from apps.core import page_cache
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, DeploymentFactory, SourceFactory, member_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"  # UserFactory's


def test_a_filtered_download_has_one_row_per_record_on_the_page(page):
    oregon = DeploymentFactory(agency=AgencyFactory(name="Washington County Sheriff", region="OR"))
    washington = DeploymentFactory(agency=AgencyFactory(name="Seattle Police", region="WA"))
    DeploymentFactory(agency=AgencyFactory(name="Orlando Police", region="FL"))
    # Several sources on one record: still one row.
    oregon.sources.add(*SourceFactory.create_batch(2))

    page.goto("/deployments/?region=Oregon&region=WA")
    expect(page.locator("table tbody tr")).to_have_count(2)
    expect(page.locator(".exports")).to_contain_text("one row for each of the 2 deployments")
    with page.expect_download() as download:
        page.locator(".exports").get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(io.StringIO(file.read(), newline="")))
    assert sorted(int(row["id"]) for row in rows) == sorted([oregon.pk, washington.pk])
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[oregon.pk]["url"].endswith(oregon.get_absolute_url())
    assert len(by_id[oregon.pk]["source_urls"].split(" | ")) == oregon.sources.count()

    # The same selection as JSON Lines: one object a line, the same records.
    with page.expect_download() as download:
        page.locator(".exports").get_by_role("link", name="JSON Lines").click()
    assert download.value.suggested_filename.endswith(".jsonl")
    with open(download.value.path(), encoding="utf-8") as file:
        objects = [json.loads(line) for line in file]
    assert sorted(item["id"] for item in objects) == sorted([oregon.pk, washington.pk])
    assert page.js_errors == []


def downloaded_ids(page):
    with page.expect_download() as download:
        page.locator(".exports").get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8", newline="") as file:
        text = file.read()
    return text, {int(row["id"]) for row in csv.DictReader(io.StringIO(text, newline=""))}


def test_a_download_again_comes_from_the_page_cache_until_a_record_is_published(page, settings):
    settings.PAGE_CACHE = True
    caches[page_cache.CACHE_ALIAS].clear()
    salem = DeploymentFactory(agency=AgencyFactory(name="Salem Police", region="OR"))

    page.goto("/deployments/?region=OR")
    href = page.locator(".exports").get_by_role("link", name="CSV").get_attribute("href")
    text, ids = downloaded_ids(page)
    assert ids == {salem.pk}
    # Stored once sent in full: the same file again, now whole, with its ETag.
    again = page.request.get(href)
    assert again.text() == text and "etag" in again.headers
    assert downloaded_ids(page) == (text, ids)

    eugene = DeploymentFactory(agency=AgencyFactory(name="Eugene Police", region="OR"))
    page.reload()
    assert downloaded_ids(page)[1] == {salem.pk, eugene.pk}
    assert page.js_errors == []


def test_a_reviewer_reverts_an_edit_with_a_reason_the_history_shows(page):
    member_of("Reviewers", username="rita", display_name="Rita Reviewer")
    agency = AgencyFactory(name="Springfield Police Department")

    log_in(page, "rita", PASSWORD)  # with the two-factor code step

    # An edit that should not have been made.
    page.goto(f"/agencies/{agency.slug}/edit/")
    page.locator("#id_name").fill("Springfield Police Dept (typo)")
    page.get_by_label("Edit summary").fill("Shorter name")
    page.get_by_role("button", name="Save and publish").click()
    agency.refresh_from_db()
    assert agency.name == "Springfield Police Dept (typo)"

    # Undo it from the history: the confirmation shows the change and asks why.
    page.goto(f"/agencies/{agency.slug}/history/")
    versions = agency.history.count()
    page.get_by_role("link", name="Revert to this…").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Revert")
    expect(page.locator("main")).to_contain_text("Springfield Police Department")
    button = page.get_by_role("button", name="Revert to version")
    button.click()  # no reason yet: refused, nothing saved
    assert agency.history.count() == versions
    page.get_by_label("Reason").fill("The old name is the official one")
    page.get_by_role("button", name="Revert to version").click()

    expect(page.locator("main")).to_contain_text("The old name is the official one")
    agency.refresh_from_db()
    assert agency.name == "Springfield Police Department"
    assert agency.history.count() == versions + 1
    assert (
        Agency.objects.get(pk=agency.pk)
        .history.first()
        .history_change_reason.endswith("The old name is the official one")
    )
    assert page.js_errors == []
