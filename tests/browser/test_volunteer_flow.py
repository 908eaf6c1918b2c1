"""The editing loop in a real browser: a volunteer adds a deployment with a new source, a
reviewer approves it, and an anonymous visitor then finds it on the public list."""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from apps.core.models import Visibility
from apps.deployments.models import Deployment
from apps.records.models import ChangeRequest, ChangeStatus
from tests.browser import conftest
from tests.factories import AgencyFactory, DeploymentFactory, member_of, technology

pytestmark = [
    pytest.mark.browser,
    # live_server needs real commits; serialized_rollback brings back what the migrations
    # seeded (technologies, role groups), which the flush after a transactional test empties.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"  # UserFactory's
AGENCY = "Washington County Sheriff's Office"
SOURCE_URL = "https://news.example.org/sheriff-face-recognition"
SOURCE_TITLE = "Sheriff quietly bought face recognition"


def log_in(page, username):
    # A reviewer also passes the two-factor code step.
    conftest.log_in(page, username, PASSWORD)


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def pick_agency(page, typed, full_name):
    """Type part of the name like a person; take the autocomplete's suggestion when it
    comes (autocomplete.js fills the field's <datalist>), else type the exact name."""
    field = page.locator("#id_agency")
    field.press_sequentially(typed, delay=40)
    suggestion = page.locator(f"datalist#{field.get_attribute('list')} option").first
    try:
        suggestion.wait_for(state="attached", timeout=5_000)
    except PlaywrightError:
        field.fill(full_name)
        return full_name
    value = suggestion.get_attribute("value")
    field.fill(value)  # what choosing the suggestion does: the field takes its value
    return value


def test_volunteer_adds_a_deployment_a_reviewer_approves_and_the_public_finds_it(
    page, screenshot_dir
):
    member_of("Volunteers", username="vera", display_name="Vera Volunteer")
    member_of("Reviewers", username="rita", display_name="Rita Reviewer")
    agency = AgencyFactory(name=AGENCY, kind="sheriff", region="OR", locality="Hillsboro")
    # Published already, another technology: the public filter must leave it out.
    DeploymentFactory(agency=agency, technology=technology("drones"), product=None, vendor=None)

    # A volunteer adds a deployment through the form.
    log_in(page, "vera")
    page.goto("/deployments/new/")
    chosen = pick_agency(page, "Washington Cou", AGENCY)
    assert chosen.startswith(AGENCY)
    page.get_by_label("Technology").select_option(label="Face Recognition")
    page.locator("#id_start").fill("2017-05")
    page.get_by_label("Summary", exact=True).fill("Searches booking photos with face recognition.")
    new_source = page.get_by_role("group", name="Add a new source")
    new_source.get_by_label("Web address").fill(SOURCE_URL)
    new_source.get_by_label("Title").fill(SOURCE_TITLE)
    new_source.get_by_label("Publisher").fill("Example Gazette")
    new_source.get_by_label("Quote").fill("the sheriff bought face recognition in May 2017")
    page.get_by_label("Edit summary").fill("From the Gazette's story")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("waiting for a reviewer")).to_be_visible()
    log_out(page)

    pending = Deployment.objects.get(technology__slug="face-recognition")
    assert pending.visibility == Visibility.PENDING

    # A reviewer approves it from the queue.
    log_in(page, "rita")
    page.goto("/review/")
    item = page.locator("article.queue-item").filter(has_text="Face Recognition")
    expect(item).to_have_count(1)
    item.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved and published.")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for review.")).to_be_visible()
    log_out(page)

    # Anyone now finds it on the public list, filtered by technology, with its source.
    page.goto("/deployments/?technology=face-recognition")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(AGENCY)
    expect(rows.first).to_contain_text("May 2017")
    rows.first.get_by_role("link", name=re.compile(r"^Details")).click()
    expect(page).to_have_url(re.compile(rf"/deployments/{pending.pk}/$"))
    sources = page.locator("section", has=page.get_by_role("heading", name="Sources"))
    expect(sources.get_by_role("link", name=SOURCE_TITLE, exact=True)).to_be_visible()
    expect(sources.locator("q")).to_have_text("the sheriff bought face recognition in May 2017")
    page.screenshot(path=str(screenshot_dir / "published-deployment.png"), full_page=True)

    # A reviewer pins the citation to a page, typed after the source in the sources box.
    log_in(page, "rita")
    page.goto(f"/deployments/{pending.pk}/edit/")
    box = page.get_by_label("Sources already in the registry")
    source_id = Deployment.objects.get(pk=pending.pk).sources.get().pk
    box.fill(f'#{source_id} p. 3 "bought face recognition"')
    page.get_by_label("Edit summary").fill("The page of the story")
    page.get_by_role("button", name="Save and publish").click()
    sources = page.locator("section", has=page.get_by_role("heading", name="Sources"))
    expect(sources).to_contain_text("p. 3")
    expect(sources.locator("q")).to_have_text("bought face recognition")
    log_out(page)

    assert page.js_errors == []
    change = ChangeRequest.objects.get(object_id=pending.pk, action="create")
    assert change.status == ChangeStatus.APPROVED
    assert (change.author.username, change.reviewer.username) == ("vera", "rita")
    versions = Deployment.objects.get(pk=pending.pk).history.order_by("history_id")
    version = versions.filter(approved_by__isnull=False).first()
    assert (version.history_user.username, version.approved_by.username) == ("vera", "rita")
