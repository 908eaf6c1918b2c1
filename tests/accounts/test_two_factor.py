"""Two-factor sign-in: required for reviewers and admins, optional for volunteers. Setting
up an authenticator (QR code, secret, a confirming code), the recovery codes shown once, the
code step after the password, wrong codes and their throttle, and a session that has not
passed the step kept out of every page but the step itself."""

import datetime
import re
from base64 import b32encode

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import two_factor
from tests.factories import (
    UserFactory,
    authenticator_code,
    authenticator_for,
    member_of,
    sign_in,
)

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor_setup")
RECOVERY_CODES = reverse("accounts:two_factor_recovery_codes")
MANAGE = reverse("accounts:two_factor")
REVIEW = reverse("editing:review")


def wrong_code_for(device):
    """A code the device accepts at no time step near now."""
    device.refresh_from_db()
    now = (int(timezone.now().timestamp()) - device.t0) // device.step + device.drift
    near = {f"{hotp(device.bin_key, now + offset, digits=6):06d}" for offset in range(-3, 4)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in near)


def password_step(client, username, **extra):
    return client.post(LOGIN, {"username": username, "password": PASSWORD, **extra})


def verified(client):
    return DEVICE_ID_SESSION_KEY in client.session


def page_errors(response):
    return re.findall(r'<ul class="field-errors"[^>]*><li>(.*?)</li>', response.content.decode())


@pytest.fixture
def reviewer_with_device(reviewer):
    return reviewer, authenticator_for(reviewer)


# ---- a reviewer without a device sets one up -----------------------------------------------


def test_a_reviewer_without_a_device_is_taken_from_the_password_to_setting_one_up(client, reviewer):
    response = password_step(client, "rita", next=REVIEW)
    assert response.status_code == 302
    assert response.url == f"{SETUP}?next=/review/"
    assert not verified(client)

    page = client.get(response.url)
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=reviewer)
    assert not device.confirmed
    # The QR code is inline SVG (no data: address, no style attribute: the CSP allows
    # neither); the secret is there as text for typing in.
    assert "<svg" in html and "data:" not in html and "style=" not in html
    secret = b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert page["Cache-Control"].startswith("max-age=0")
    # Showing the page again keeps the same secret (the app may already have it).
    client.get(SETUP)
    assert list(TOTPDevice.objects.filter(user=reviewer)) == [device]


def test_setting_up_with_the_apps_code_turns_it_on_and_shows_ten_recovery_codes_once(
    client, reviewer
):
    password_step(client, "rita", next=REVIEW)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=reviewer)

    response = client.post(SETUP, {"code": authenticator_code(device), "next": REVIEW})
    assert response.status_code == 302
    assert response.url == f"{RECOVERY_CODES}?next=/review/"
    device.refresh_from_db()
    assert device.confirmed
    assert verified(client)

    html = client.get(response.url).content.decode()
    shown = re.findall(r"<li><code>(\w+)</code></li>", html)
    assert len(shown) == 10
    assert sorted(shown) == sorted(
        StaticToken.objects.filter(device__user=reviewer).values_list("token", flat=True)
    )
    assert f'href="{REVIEW}"' in html  # continue to where the sign-in was going
    # Once only.
    again = client.get(RECOVERY_CODES).content.decode()
    assert not any(code in again for code in shown)
    assert "You have 10 unused recovery codes." in again
    assert client.get(REVIEW).status_code == 200


def test_a_wrong_code_at_set_up_is_a_form_error_and_turns_nothing_on(client, reviewer):
    password_step(client, "rita")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=reviewer)

    response = client.post(SETUP, {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert page_errors(response) == [
        "That code is not right. Check the code in your authenticator app and try again."
    ]
    device.refresh_from_db()
    assert not device.confirmed
    assert not verified(client)
    assert client.get(REVIEW).url.startswith(SETUP)
    assert not StaticDevice.objects.filter(user=reviewer).exists()


def test_letters_or_nothing_as_the_code_are_form_errors_not_server_errors(client, reviewer):
    password_step(client, "rita")
    client.get(SETUP)
    for code in ("", "abcdef", "12345678901234567890", "１２３４５６"):
        response = client.post(SETUP, {"code": code})
        assert response.status_code == 200, code
        assert page_errors(response), code


# ---- the code step -------------------------------------------------------------------------


def test_a_reviewer_with_a_device_passes_the_code_step_and_reaches_the_review_queue(
    client, reviewer_with_device
):
    reviewer, device = reviewer_with_device
    # The queue sends an anonymous visitor to sign in, and the sign-in to the code step.
    assert client.get(REVIEW).url == f"{LOGIN}?next=/review/"
    response = password_step(client, "rita", next=REVIEW)
    assert response.url == f"{VERIFY}?next=/review/"
    assert client.session["_auth_user_id"] == str(reviewer.pk)
    assert not verified(client)

    form = client.get(response.url)
    assert 'autocomplete="one-time-code"' in form.content.decode()
    response = client.post(VERIFY, {"code": authenticator_code(device), "next": REVIEW})
    assert response.status_code == 302
    assert response.url == REVIEW
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(REVIEW).status_code == 200


def test_a_wrong_code_is_a_clear_form_error(client, reviewer_with_device):
    _, device = reviewer_with_device
    password_step(client, "rita")
    response = client.post(VERIFY, {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert page_errors(response) == [
        "That code is not right. Check the code in your authenticator app and try again."
    ]
    assert not verified(client)
    assert client.get(REVIEW).url.startswith(VERIFY)


def test_a_code_cannot_be_used_twice(client, reviewer_with_device):
    _, device = reviewer_with_device
    code = authenticator_code(device)
    password_step(client, "rita")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))

    other = Client()
    password_step(other, "rita")
    response = other.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert not verified(other)


def test_a_recovery_code_signs_in_once(client, reviewer_with_device):
    reviewer, _ = reviewer_with_device
    codes = two_factor.make_recovery_codes(reviewer)

    password_step(client, "rita")
    # As printed: upper case, with a space, still counts.
    response = client.post(VERIFY, {"code": f"{codes[0][:4].upper()} {codes[0][4:]}"})
    assert response.status_code == 302
    assert verified(client)
    assert "9 codes are left" in client.get(response.url).content.decode()
    assert not StaticToken.objects.filter(token=codes[0]).exists()

    client.post(reverse("accounts:logout"))
    password_step(client, "rita")
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert page_errors(response)
    assert not verified(client)
    # Another one still works, once the second's wait after that wrong code is over.
    StaticDevice.objects.filter(user=reviewer).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=2)
    )
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302
    assert verified(client)


def test_making_new_recovery_codes_invalidates_the_old_ones(client, reviewer):
    sign_in(client, reviewer)
    old = two_factor.make_recovery_codes(reviewer)
    response = client.post(RECOVERY_CODES)
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    new = re.findall(r"<li><code>(\w+)</code></li>", html)
    assert len(new) == 10 and not set(new) & set(old)
    assert set(
        StaticToken.objects.filter(device__user=reviewer).values_list("token", flat=True)
    ) == set(new)


# ---- throttling ----------------------------------------------------------------------------


def test_wrong_codes_are_throttled_with_a_message_that_says_how_long_to_wait(
    client, reviewer_with_device
):
    _, device = reviewer_with_device
    password_step(client, "rita")
    client.post(VERIFY, {"code": wrong_code_for(device)})

    # Straight after a wrong code even the right one is refused for a second, and said so.
    response = client.post(VERIFY, {"code": authenticator_code(device)})
    assert response.status_code == 200
    assert page_errors(response) == [
        "Too many wrong codes. For your safety, wait 1 second before trying again."
    ]
    assert not verified(client)

    # After ten wrong codes in a row, the wait is minutes.
    device.refresh_from_db()
    device.throttling_failure_count = 10
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    response = client.post(VERIFY, {"code": authenticator_code(device)})
    assert page_errors(response) == [
        "Too many wrong codes. For your safety, wait 9 minutes before trying again."
    ]

    # Once the wait is over, the right code works and the count starts again.
    device.throttling_failure_timestamp = timezone.now() - datetime.timedelta(hours=1)
    device.save()
    assert client.post(VERIFY, {"code": authenticator_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_throttling_is_on(settings):
    device = TOTPDevice(user=UserFactory())
    assert settings.OTP_TOTP_THROTTLE_FACTOR > 0 and settings.OTP_STATIC_THROTTLE_FACTOR > 0
    assert device.throttling_enabled


# ---- half signed in ------------------------------------------------------------------------


def test_a_reviewer_who_has_not_passed_the_code_step_reaches_no_page_but_the_step(
    client, reviewer_with_device
):
    _, device = reviewer_with_device
    password_step(client, "rita")
    for path in (REVIEW, "/", "/deployments/", reverse("accounts:profile"), MANAGE, "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(VERIFY), path
    # The code step itself shows no review link, nor the count of what waits.
    step = client.get(VERIFY).content.decode()
    assert client.get(VERIFY).status_code == 200
    assert "Review queue" not in step
    # A form's POST is refused the same way (and not repeated afterwards).
    response = client.post(reverse("accounts:profile"), {"display_name": "Hijacked"})
    assert response.url == VERIFY
    # Adding a second authenticator would get round the step: the set-up page refuses.
    assert client.get(SETUP).url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=device.user).count() == 1
    # Signing out still works.
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_reviewer_without_a_device_cannot_reach_a_reviewer_page_or_the_admin(client, reviewer):
    client.force_login(reviewer)
    for path in (REVIEW, "/admin/", reverse("admin:accounts_user_changelist")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(SETUP), path


def test_an_admin_must_pass_the_code_step_before_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/").url.startswith(SETUP)
    device = authenticator_for(admin_user)
    client.force_login(admin_user)
    assert client.get("/admin/").url == f"{VERIFY}?next=/admin/"
    client.post(VERIFY, {"code": authenticator_code(device)})
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_itself_refuses_staff_whose_session_is_not_verified(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    admin_user.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    admin_user.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_a_half_signed_in_session_still_gets_static_files_and_the_sign_in_page(client, reviewer):
    client.force_login(reviewer)
    assert client.get(LOGIN).status_code == 200
    assert client.get("/favicon.ico").status_code == 302
    assert not client.get("/favicon.ico").url.startswith(SETUP)


def test_anonymous_pages_are_untouched(client, reviewer):
    assert client.get("/").status_code == 200
    assert client.get("/deployments/").status_code == 200
    assert client.get(REVIEW).url.startswith(LOGIN)
    # The two-factor pages themselves need a signed-in account.
    for path in (VERIFY, SETUP, MANAGE, RECOVERY_CODES):
        assert client.get(path).url.startswith(LOGIN), path


# ---- volunteers ----------------------------------------------------------------------------


def test_a_volunteer_without_a_device_signs_in_with_the_password_alone(
    client, volunteer, after_login_url
):
    response = password_step(client, "vera")
    assert response.url == after_login_url
    assert client.get(after_login_url).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert not TOTPDevice.objects.filter(user=volunteer).exists()


def test_a_volunteer_sets_up_two_factor_from_the_account_page_and_is_then_asked_for_codes(
    client, volunteer
):
    client.force_login(volunteer)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{MANAGE}"' in profile and "Off." in profile
    assert f'href="{SETUP}"' in client.get(MANAGE).content.decode()
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=volunteer)
    response = client.post(SETUP, {"code": authenticator_code(device)})
    assert response.url == RECOVERY_CODES
    assert len(re.findall(r"<li><code>", client.get(RECOVERY_CODES).content.decode())) == 10

    client.post(reverse("accounts:logout"))
    response = password_step(client, "vera")
    assert response.url.startswith(VERIFY)
    assert client.get(reverse("accounts:profile")).url.startswith(VERIFY)
    client.post(VERIFY, {"code": authenticator_code(device)})
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_volunteer_with_a_device_is_asked_for_a_code_after_a_password_reset_too(
    client, volunteer
):
    authenticator_for(volunteer)
    # Any way of signing in (here the test client's, as a password reset's or an accepted
    # invitation's login() would) leaves the session needing the code step.
    client.force_login(volunteer)
    assert client.get(reverse("accounts:profile")).url.startswith(VERIFY)


def test_a_volunteer_may_turn_two_factor_off(client, volunteer):
    device = authenticator_for(volunteer)
    two_factor.make_recovery_codes(volunteer)
    client.force_login(volunteer)
    client.post(VERIFY, {"code": authenticator_code(device)})

    response = client.post(reverse("accounts:two_factor_remove", args=[device.pk]))
    assert response.url == MANAGE
    assert not TOTPDevice.objects.filter(user=volunteer).exists()
    assert not StaticDevice.objects.filter(user=volunteer).exists()
    assert "Two-factor sign-in is off" in client.get(MANAGE).content.decode()
    client.post(reverse("accounts:logout"))
    assert password_step(client, "vera").url == reverse("editing:my_contributions")


# ---- the last device -----------------------------------------------------------------------


def test_a_reviewer_cannot_remove_their_last_authenticator(client, reviewer):
    sign_in(client, reviewer)
    device = TOTPDevice.objects.get(user=reviewer)
    assert "Reviewers and admins must keep one" in client.get(MANAGE).content.decode()

    response = client.post(reverse("accounts:two_factor_remove", args=[device.pk]), follow=True)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert "must keep an authenticator app" in response.content.decode()
    assert client.get(REVIEW).status_code == 200

    # With a second one, either may go.
    second = TOTPDevice.objects.create(user=reviewer, name="Second phone")
    client.post(reverse("accounts:two_factor_remove", args=[second.pk]))
    assert not TOTPDevice.objects.filter(pk=second.pk).exists()


def test_nobody_removes_another_accounts_authenticator(client, reviewer):
    other = authenticator_for(member_of("Reviewers", username="other"))
    TOTPDevice.objects.create(user=other.user, name="Second phone")
    sign_in(client, reviewer)
    response = client.post(reverse("accounts:two_factor_remove", args=[other.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=other.pk).exists()


def test_an_admin_removes_a_lost_authenticator_in_the_admin_without_seeing_its_secret(
    client, admin_user, reviewer
):
    lost = authenticator_for(reviewer)
    codes = two_factor.make_recovery_codes(reviewer)
    sign_in(client, admin_user)
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[lost.pk]))
    assert change.status_code == 200
    assert lost.key not in change.content.decode()
    static = StaticDevice.objects.get(user=reviewer)
    page = client.get(reverse("admin:otp_static_staticdevice_change", args=[static.pk]))
    assert not any(code in page.content.decode() for code in codes)

    delete = reverse("admin:otp_totp_totpdevice_delete", args=[lost.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    # The reviewer signs in with a recovery code and is taken to set up a new one.
    other = Client()
    assert password_step(other, "rita").url.startswith(VERIFY)
    response = other.post(VERIFY, {"code": codes[0]})
    assert response.url == f"{SETUP}?next={reverse('editing:my_contributions')}"
    assert other.get(SETUP).status_code == 200
