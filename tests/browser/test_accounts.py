"""Joining and getting back in, in a real browser: a reviewer invites a volunteer who accepts
the emailed link; someone who forgot their password resets it by email. Both forms failed in
Chromium with "CSRF verification failed … Origin checking failed - null" while the pages set
a `no-referrer` policy.

The live server answers from another thread of this process, so the emails it sends land in
the same `django.core.mail.outbox` the test reads (the test settings use the locmem backend).
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from apps.accounts.models import Invitation
from tests.browser.conftest import log_in
from tests.factories import member_of

pytestmark = [
    pytest.mark.browser,
    # live_server needs real commits; serialized_rollback brings back the role groups the
    # migrations seeded, which the flush after a transactional test empties.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"  # UserFactory's
NEW_PASSWORD = "plum-kettle-orbit-4417"


def link_in_last_email(to, path_pattern):
    assert mail.outbox, "no email was sent"
    message = mail.outbox[-1]
    assert message.to == [to]
    found = re.search(rf"https?://[^/\s]+({path_pattern})", message.body)
    assert found, f"no link matching {path_pattern} in:\n{message.body}"
    return found[1]


def account_menu(page, public_name):
    """Open the header's account menu (under the person's name) and return it."""
    account = page.get_by_role("navigation", name="Account")
    summary = account.locator("summary")
    expect(summary).to_contain_text(public_name)
    summary.click()
    return account.locator("details[open]")


def expect_signed_in_as(page, public_name):
    account = page.get_by_role("navigation", name="Account")
    expect(account.locator("summary")).to_have_attribute("title", f"Signed in as {public_name}")
    expect(account.get_by_role("button", name="Log out")).to_be_visible()
    expect(account.get_by_role("link", name="Log in")).to_have_count(0)
    expect(account_menu(page, public_name).get_by_role("link", name="Your account")).to_be_visible()


def test_a_reviewer_invites_a_volunteer_who_accepts_and_is_signed_in(page, screenshot_dir):
    member_of("Reviewers", username="rita", display_name="Rita Reviewer")

    log_in(page, "rita")
    account_menu(page, "Rita Reviewer").get_by_role("link", name="Invitations").click()
    page.get_by_label("Email address").fill("newcomer@example.org")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to newcomer@example.org")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    link = link_in_last_email("newcomer@example.org", r"/accounts/invitation/[\w-]+/")
    page.goto(link)
    # The token leaves the address bar before the form is shown; the address names the
    # invitation instead, so another link opened in a second tab cannot swap it.
    invitation = Invitation.objects.get(email="newcomer@example.org")
    expect(page).to_have_url(re.compile(rf"/accounts/invitation/{invitation.pk}/$"))
    expect(page.get_by_text("Rita Reviewer invited you")).to_be_visible()
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Display name").fill("Nia Newcomer")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account and sign in").click()

    expect(page.get_by_text("Welcome! Your account is ready")).to_be_visible()
    expect_signed_in_as(page, "Nia Newcomer")
    page.screenshot(path=str(screenshot_dir / "invitation-accepted.png"), full_page=True)
    user = get_user_model().objects.get(username="newcomer")
    assert user.email == "newcomer@example.org"
    assert list(user.groups.values_list("name", flat=True)) == ["Volunteers"]
    assert page.js_errors == []


def test_a_forgotten_password_is_reset_by_email_and_setting_it_signs_in(page):
    member_of("Volunteers", username="vera", display_name="Vera Volunteer")

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("vera@example.org")
    page.get_by_role("button", name="Email me a reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    link = link_in_last_email("vera@example.org", r"/accounts/password/reset/[\w-]+/[\w-]+/")
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/set-password/$"))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("heading", name="Your password has been reset")).to_be_visible()

    # Signed in straight away, without a trip through the sign-in form.
    expect(page.get_by_role("main")).to_contain_text("You are signed in as Vera Volunteer")
    expect_signed_in_as(page, "Vera Volunteer")
    assert page.js_errors == []


def rows(page, selector):
    """The distinct vertical centres of the items `selector` finds, rounded: one per row."""
    items = page.locator(selector)
    centres = set()
    for index in range(items.count()):
        box = items.nth(index).bounding_box()
        centres.add(round((box["y"] + box["height"] / 2) / 8))
    return centres


@pytest.mark.parametrize(
    ("group", "display_name"),
    [
        ("Reviewers", "Rita Reviewer"),
        ("Volunteers", "Vera Volunteer"),
        # A long name is cut short rather than pushing the header onto a second row.
        ("Reviewers", "Maximiliana Bartholomew-Featherstonehaugh"),
    ],
)
def test_the_signed_in_header_keeps_two_rows_at_1280_pixels(
    page, screenshot_dir, group, display_name
):
    member_of(group, username="member", display_name=display_name)
    log_in(page, "member")
    page.goto("/deployments/")
    page.screenshot(path=str(screenshot_dir / f"header-1280-{display_name[:4]}.png"))

    # The name and the account's links make one row, every list of the site the next one.
    top = rows(page, ".site-header .site-name, .site-header .account-nav > ul > li")
    lists = rows(page, ".site-header .site-nav a")
    assert len(top) == 1, "the name and the account's links wrap at 1280 px"
    assert len(lists) == 1, "the lists wrap onto a third row at 1280 px"
    assert min(lists) > max(top)
    # The menu opens over the page without moving the header.
    height = page.locator(".site-header").bounding_box()["height"]
    menu = account_menu(page, display_name[:5])
    expect(menu.get_by_role("link", name="Change password")).to_be_visible()
    assert page.locator(".site-header").bounding_box()["height"] == height
    page.screenshot(path=str(screenshot_dir / f"header-1280-{display_name[:4]}-menu.png"))
    # Like any menu, it closes on Escape and on a click elsewhere.
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    account_menu(page, display_name[:5])
    page.get_by_role("heading", level=1).click()
    expect(page.locator(".account-menu details[open]")).to_have_count(0)
    assert page.js_errors == []


def test_the_favicon_loads(page):
    response = page.request.get("/favicon.ico")
    assert response.ok
    assert response.headers["content-type"].startswith("image/svg+xml")
    page.goto("/")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(icon).ok
