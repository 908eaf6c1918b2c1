"""Two-factor sign-in in a real browser: a reviewer without an authenticator signs in with
the password, is taken to set one up (a QR code drawn as inline SVG under the
Content-Security-Policy, and the secret as text), types the code an app would show for that
secret, is shown the recovery codes, reaches the review queue, signs out, and signs in again
with the password and a code."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, csp_violations
from tests.factories import authenticator_code, member_of

pytestmark = [
    pytest.mark.browser,
    # live_server needs real commits; serialized_rollback brings back the role groups the
    # migrations seeded, which the flush after a transactional test empties.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def password_step(page, username):
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_reviewer_sets_up_an_authenticator_and_signs_in_with_its_codes(page, screenshot_dir):
    rita = member_of("Reviewers", username="rita", display_name="Rita Reviewer")

    page.goto("/review/")
    password_step(page, "rita")

    # No authenticator yet: setting one up comes before any page.
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/\?next=/review/$"))
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.locator(".qr-code svg")).to_be_visible()
    secret = page.locator("#two-factor-secret").inner_text()
    page.screenshot(path=str(screenshot_dir / "two-factor-setup.png"), full_page=True)
    assert csp_violations(page) == []
    page.goto("/review/")  # every other page sends the half signed-in session back
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))

    # What an authenticator app given the secret shows.
    key = b32decode(secret.replace(" ", ""))
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Confirm and turn on").click()

    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    shown = page.locator("ul.recovery-codes code").all_inner_texts()
    assert len(shown) == 10
    assert sorted(shown) == sorted(
        StaticToken.objects.filter(device__user=rita).values_list("token", flat=True)
    )
    page.screenshot(path=str(screenshot_dir / "two-factor-recovery-codes.png"), full_page=True)
    page.get_by_role("link", name="I have saved my recovery codes, continue").click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    # Signing in again: the password, then a code.
    page.goto("/review/")
    password_step(page, "rita")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/\?next=/review/$"))
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code").fill(authenticator_code(TOTPDevice.objects.get(user=rita)))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    assert csp_violations(page) == []
    assert page.csp_messages == []
    assert page.js_errors == []
