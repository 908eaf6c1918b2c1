"""Next and Previous through the deployments list in Chromium: each page continues where the
last ended (keyset pagination, apps/core/pagination.py), and Previous comes back to it; and
Older and Newer through an agency's timeline (apps/core/timeline.py timeline_page)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.factories import AgencyFactory, DeploymentFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def deployments(settings):
    settings.LIST_PAGE_SIZE = 2
    return [
        DeploymentFactory(
            agency=AgencyFactory(name=f"Agency {letter}"),
            start_date=datetime.date(2010 + index, 1, 1) if index != 2 else None,
            start_date_precision="year" if index != 2 else "",
        )
        for index, letter in enumerate("ABCDE")
    ]


def agencies_shown(page):
    return page.locator("table tbody tr").locator("a[href^='/agencies/']").all_inner_texts()


def test_next_and_previous_walk_the_list(page, deployments):
    page.goto("/deployments/")
    # Newest first, the unknown start date last.
    expect(page.locator("table tbody tr")).to_have_count(2)
    assert agencies_shown(page) == ["Agency E", "Agency D"]
    page.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"/deployments/\?after="))
    assert agencies_shown(page) == ["Agency B", "Agency A"]
    expect(page.get_by_role("status")).to_contain_text("Showing 2 more of 5 deployments.")
    page.get_by_role("link", name="Next →").click()
    assert agencies_shown(page) == ["Agency C"]
    expect(page.get_by_role("link", name="Next →")).to_have_count(0)
    page.get_by_role("link", name="← Previous").click()
    expect(page).to_have_url(re.compile(r"/deployments/\?before="))
    assert agencies_shown(page) == ["Agency B", "Agency A"]
    page.get_by_role("link", name="← Previous").click()
    assert agencies_shown(page) == ["Agency E", "Agency D"]
    expect(page.get_by_role("link", name="← Previous")).to_have_count(0)


def test_older_and_newer_walk_an_agency_timeline(page, monkeypatch):
    monkeypatch.setattr("apps.core.timeline.TIMELINE_PAGE_SIZE", 2)
    agency = AgencyFactory(name="Busy Sheriff")
    for year in (2015, 2016, 2017, 2018, 2019):
        DeploymentFactory(agency=agency, start_date=datetime.date(year, 1, 1))
    dates = page.locator("ol.timeline .timeline-date")
    page.goto(agency.get_absolute_url())
    expect(page.get_by_role("link", name="5 deployments")).to_be_visible()
    assert dates.all_inner_texts() == ["2019", "2018"]
    page.get_by_role("link", name="Older →").click()
    expect(page).to_have_url(re.compile(r"\?timeline=o.*#timeline-heading$"))
    assert dates.all_inner_texts() == ["2017", "2016"]
    page.get_by_role("link", name="Older →").click()
    assert dates.all_inner_texts() == ["2015"]
    expect(page.get_by_role("link", name="Older →")).to_have_count(0)
    page.get_by_role("link", name="← Newer").click()
    assert dates.all_inner_texts() == ["2017", "2016"]
    page.get_by_role("link", name="« Newest").click()
    assert dates.all_inner_texts() == ["2019", "2018"]
    expect(page.get_by_role("link", name="← Newer")).to_have_count(0)
