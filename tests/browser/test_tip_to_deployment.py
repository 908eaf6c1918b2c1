"""From a tip to a published record in a real browser: someone sends a tip without an
account, a reviewer starts a deployment from it in the review queue, finds the form filled
in, adds what the tip could not know and saves; the tip leaves the queue."""

import re

import pytest
from playwright.sync_api import expect

from apps.deployments.models import Deployment
from apps.tips.models import Tip, TipStatus
from tests.factories import AgencyFactory, member_of, technology

from .test_volunteer_flow import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AGENCY = "Washington County Sheriff's Office"
SOURCE_URL = "https://news.example.org/sheriff-face-matching"
DESCRIPTION = "The sheriff searches booking photos with a cloud face-matching service."


def test_a_reviewer_turns_a_tip_into_a_deployment(page, screenshot_dir):
    member_of("Reviewers", username="rita", display_name="Rita Reviewer")
    agency = AgencyFactory(name=AGENCY, kind="sheriff", region="OR", locality="Hillsboro")

    # Anyone sends a tip.
    page.goto("/submit/")
    page.get_by_label("What technology?").fill("Face recognition")
    page.get_by_label("Which agency?").fill(AGENCY)
    page.get_by_label("State or region").fill("OR")
    page.get_by_label("When?").fill("2017")
    page.get_by_label("What do you know?").fill(DESCRIPTION)
    page.get_by_label("Link to a source").fill(SOURCE_URL)
    page.get_by_role("button", name="Send the tip").click()
    expect(page.get_by_role("heading", name="Thank you for your tip")).to_be_visible()
    tip = Tip.objects.get()

    # A reviewer starts a deployment from it.
    log_in(page, "rita")
    page.goto("/review/")
    page.get_by_role("link", name="Start a deployment from this tip").click()
    expect(page).to_have_url(re.compile(rf"/deployments/new/\?tip={tip.pk}$"))
    expect(page.get_by_text(f"Started from tip #{tip.pk}")).to_be_visible()
    expect(page.locator("#id_agency")).to_have_value(f"{AGENCY} [{agency.slug}]")
    # The sender's words name a technology of the taxonomy.
    face_recognition = str(technology("face-recognition").pk)
    expect(page.get_by_label("Technology")).to_have_value(face_recognition)
    expect(page.locator("#id_start")).to_have_value("2017")
    expect(page.get_by_label("Summary", exact=True)).to_have_value(DESCRIPTION)
    new_source = page.get_by_role("group", name="Add a new source")
    expect(new_source.get_by_label("Web address")).to_have_value(SOURCE_URL)

    # What the tip could not say: the source's title, once the reviewer has read it.
    new_source.get_by_label("Title").fill("Sheriff uses face matching")
    page.screenshot(path=str(screenshot_dir / "deployment-from-tip.png"), full_page=True)
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text(f"Tip #{tip.pk} marked handled.")).to_be_visible()

    deployment = Deployment.objects.get()
    expect(page).to_have_url(re.compile(rf"/deployments/{deployment.pk}/$"))
    tip.refresh_from_db()
    assert tip.status == TipStatus.HANDLED
    assert deployment.get_absolute_url() in tip.reviewer_note
    page.goto("/review/")
    expect(page.get_by_text("No open tips.")).to_be_visible()
    assert page.js_errors == []
