"""Sign in and out, password change and reset, and the lockout after failed sign-ins."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from .conftest import PASSWORD, STRONG_PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()
LOGIN = reverse("accounts:login")


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_login_page_says_accounts_are_by_invitation(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Accounts are by invitation" in html
    assert html.count("<h1") == 1
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert reverse("accounts:password_reset") in html


def test_login_with_the_right_password_signs_in(client, volunteer, after_login_url):
    response = sign_in(client, "vera", PASSWORD)
    assert response.status_code == 302
    assert response.url == after_login_url
    assert signed_in_user_id(client) == str(volunteer.pk)


def test_login_follows_a_safe_next(client, volunteer):
    profile = reverse("accounts:profile")
    response = sign_in(client, "vera", PASSWORD, next=profile)
    assert response.url == profile


def test_login_ignores_an_offsite_next(client, volunteer, after_login_url):
    response = sign_in(client, "vera", PASSWORD, next="https://evil.example.com/")
    assert response.url == after_login_url


def test_login_with_a_wrong_password_shows_an_error(client, volunteer):
    response = sign_in(client, "vera", "wrong password here")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_logout_is_post_only_and_signs_out(client, volunteer):
    client.force_login(volunteer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert signed_in_user_id(client) == str(volunteer.pk)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert signed_in_user_id(client) is None


def test_password_change_requires_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_password_change(client, volunteer):
    client.force_login(volunteer)
    page = client.get(reverse("accounts:password_change"))
    assert '<label for="id_old_password">' in page.content.decode()

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": STRONG_PASSWORD,
            "new_password2": STRONG_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    assert client.get(response.url).status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.check_password(STRONG_PASSWORD)
    # Still signed in on this device.
    assert signed_in_user_id(client) == str(volunteer.pk)


def test_password_change_refuses_a_weak_password(client, volunteer):
    client.force_login(volunteer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.check_password(PASSWORD)


def request_reset(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def reset_link(message):
    return re.search(r"https?://testserver(/accounts/password/reset/\S+/\S+/)", message.body)[1]


def test_password_reset_by_email(client, volunteer):
    response = request_reset(client, "vera@example.org")

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vera@example.org"]
    assert "Surveillance Tracker" in message.subject
    link = reset_link(message)

    # Django swaps the token for a session marker, then shows the form.
    form_url = client.get(link).url
    page = client.get(form_url)
    assert page.status_code == 200
    assert page.context["validlink"] is True
    # No `no-referrer` policy: Chromium would then send `Origin: null` and fail CSRF. The
    # token already left the address, and the site's policy keeps Referers same-origin.
    assert "no-referrer" not in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    done = client.post(
        form_url, {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD}
    )

    assert done.status_code == 302
    assert done.url == reverse("accounts:password_reset_complete")
    assert client.get(done.url).status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.check_password(STRONG_PASSWORD)
    assert sign_in(client, "vera", STRONG_PASSWORD).status_code == 302
    # The link worked once.
    client.logout()
    assert client.get(link).context["validlink"] is False


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = request_reset(client, "nobody@example.org")
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_broken_reset_link_says_so(client, volunteer):
    response = client.get(
        reverse("accounts:password_reset_confirm", args=["MQ", "not-a-token"]), follow=True
    )
    assert response.status_code == 200
    assert "expired or has already been used" in response.content.decode()


def lock_out(client, username="vera"):
    """Five wrong passwords: the first four are ordinary failures, the fifth locks."""
    for attempt in range(4):
        response = sign_in(client, username, f"wrong password {attempt}")
        assert response.status_code == 200, f"attempt {attempt + 1} was not an ordinary failure"
    assert sign_in(client, username, "wrong password 5").status_code == 429


def test_five_failed_logins_lock_the_sixth_even_with_the_right_password(client, volunteer):
    lock_out(client)

    response = sign_in(client, "vera", PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "Try again in 1 hour" in html
    assert reverse("accounts:password_reset") in html
    assert signed_in_user_id(client) is None


def test_the_lockout_is_per_username(client, volunteer, reviewer):
    lock_out(client, "vera")
    assert sign_in(client, "rita", PASSWORD).status_code == 302


def test_four_failures_do_not_lock(client, volunteer):
    for attempt in range(4):
        sign_in(client, "vera", f"wrong {attempt}")
    assert sign_in(client, "vera", PASSWORD).status_code == 302


def test_a_password_reset_lifts_the_lockout(client, volunteer):
    lock_out(client)
    request_reset(client, "vera@example.org")
    form_url = client.get(reset_link(mail.outbox[0])).url
    client.post(form_url, {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD})

    response = sign_in(client, "vera", STRONG_PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(volunteer.pk)
