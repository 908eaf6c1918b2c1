"""Sign in and out, password change and reset, and the lockout after failed sign-ins."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from apps.core.client_ip import client_network
from tests.factories import UserFactory

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
    assert signed_in_user_id(client) == str(volunteer.pk)


def test_login_ignores_an_offsite_next(client, volunteer, after_login_url):
    response = sign_in(client, "vera", PASSWORD, next="https://evil.example.com/")
    assert response.url == after_login_url
    assert signed_in_user_id(client) == str(volunteer.pk)


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
    assert response.url == reverse("home:home")
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
    client.logout()
    assert sign_in(client, "vera", STRONG_PASSWORD).status_code == 302
    assert signed_in_user_id(client) == str(volunteer.pk)
    # The link worked once.
    client.logout()
    assert client.get(link).context["validlink"] is False


def test_setting_the_new_password_signs_in(client, volunteer):
    """The issue's flow: forgot password, email, new password, signed in, with no second
    trip through the sign-in form."""
    request_reset(client, "vera@example.org")
    form_url = client.get(reset_link(mail.outbox[0])).url

    done = client.post(
        form_url,
        {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD},
        follow=True,
    )

    assert signed_in_user_id(client) == str(volunteer.pk)
    assert done.context["user"] == volunteer
    html = done.content.decode()
    assert "Your password has been reset" in html
    assert "You are signed in as Vera Volunteer with your new password." in html
    assert "You can sign in" not in html
    # The session is the new password's: a page that needs a login opens.
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_the_reset_done_page_opened_signed_out_offers_the_sign_in(client):
    html = client.get(reverse("accounts:password_reset_complete")).content.decode()
    assert "You can sign in with your new password now." in html


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
    assert signed_in_user_id(client) == str(reviewer.pk)


def test_four_failures_do_not_lock(client, volunteer):
    for attempt in range(4):
        sign_in(client, "vera", f"wrong {attempt}")
    assert sign_in(client, "vera", PASSWORD).status_code == 302
    assert signed_in_user_id(client) == str(volunteer.pk)


def test_a_password_reset_lifts_the_lockout(client, volunteer):
    lock_out(client)
    request_reset(client, "vera@example.org")
    form_url = client.get(reset_link(mail.outbox[0])).url
    client.post(form_url, {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD})
    client.logout()  # the reset signed in; the lockout must be lifted for the sign-in form too

    response = sign_in(client, "vera", STRONG_PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(volunteer.pk)


def sign_in_from(client, address, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_addresses_in_one_ipv6_64_share_one_lockout(client, volunteer):
    """The attack that worked: 40 wrong passwords from 10 addresses of one /64 (4 each,
    under the per-address limit), then the right one."""
    answers = [
        sign_in_from(client, f"2001:db8:1:2::{host:x}", "vera", f"guess {host}-{attempt}")
        for host in range(1, 11)
        for attempt in range(4)
    ]

    assert [answer.status_code for answer in answers[:4]] == [200] * 4
    # The fifth failure from the /64 locks it, whichever address of it it came from.
    assert answers[4].status_code == 429
    assert sign_in_from(client, "2001:db8:1:2:ffff::1", "vera", PASSWORD).status_code == 429
    assert signed_in_user_id(client) is None


def test_another_ipv6_network_is_not_locked_by_the_first(client, volunteer):
    for attempt in range(5):
        sign_in_from(client, "2001:db8:1:2::1", "vera", f"guess {attempt}")
    assert sign_in_from(client, "2001:db8:1:3::1", "vera", PASSWORD).status_code == 302
    assert signed_in_user_id(client) == str(volunteer.pk)


def test_failures_from_many_networks_lock_the_account_everywhere(client, volunteer, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 20
    # 4 failures from each of 5 networks: no network reaches its own limit of 5.
    statuses = [
        sign_in_from(client, f"2001:db8:{network}::1", "vera", f"guess {attempt}").status_code
        for network in range(1, 6)
        for attempt in range(4)
    ]

    assert statuses[:19] == [200] * 19
    assert statuses[19] == 429  # the account's 20th failure
    response = sign_in_from(client, "198.51.100.7", "vera", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert reverse("accounts:password_reset") in html
    assert signed_in_user_id(client) is None
    # Other accounts are not affected.
    otto = UserFactory(username="otto")
    assert sign_in_from(client, "198.51.100.7", "otto", PASSWORD).status_code == 302
    assert signed_in_user_id(client) == str(otto.pk)


def test_under_the_account_limit_the_owner_still_signs_in(client, volunteer, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 20
    for network in range(1, 5):
        for attempt in range(4):
            sign_in_from(client, f"2001:db8:{network}::1", "vera", f"guess {attempt}")
    assert sign_in_from(client, "198.51.100.7", "vera", PASSWORD).status_code == 302
    assert signed_in_user_id(client) == str(volunteer.pk)


def test_a_password_reset_lifts_the_account_lockout(client, volunteer, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 6
    for network in range(1, 4):
        for attempt in range(2):
            sign_in_from(client, f"203.0.113.{network}", "vera", f"guess {attempt}")
    assert sign_in_from(client, "198.51.100.7", "vera", PASSWORD).status_code == 429

    request_reset(client, "vera@example.org")
    form_url = client.get(reset_link(mail.outbox[0])).url
    client.post(form_url, {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD})
    client.logout()

    assert sign_in_from(client, "198.51.100.7", "vera", STRONG_PASSWORD).status_code == 302
    assert signed_in_user_id(client) == str(volunteer.pk)


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::"),
        ("203.0.113.9", "203.0.113.9"),
        ("", None),  # a Unix socket without a proxy header
        ("not an address", None),
    ],
)
def test_the_lockout_counts_ipv6_by_64(address, network):
    request = RequestFactory().post(LOGIN, REMOTE_ADDR=address)
    assert client_network(request) == network


def test_behind_a_proxy_the_lockout_masks_the_forwarded_address(client, volunteer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for host in range(1, 6):
        response = client.post(
            LOGIN,
            {"username": "vera", "password": "guess"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"2001:db8:5:6::{host}",
        )
    assert response.status_code == 429
    # Another visitor behind the same proxy is not locked out.
    other = client.post(
        LOGIN,
        {"username": "vera", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="2001:db8:7:8::1",
    )
    assert other.status_code == 302
    assert signed_in_user_id(client) == str(volunteer.pk)


def test_reset_requests_are_limited_per_email_address(client, volunteer, settings):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "3/h"
    answers = [
        client.post(
            reverse("accounts:password_reset"),
            {"email": email},
            REMOTE_ADDR=f"203.0.113.{index}",
        )
        for index, email in enumerate(
            ["vera@example.org", "VERA@example.org", " vera@example.org", "vera@example.org"]
        )
    ]

    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    refused = answers[-1]
    html = refused.content.decode()
    assert "Too many reset requests" in html
    assert "No email was sent" in html
    # django-ratelimit's windows are fixed: the wait is what is left of the current hour.
    assert re.search(r"try again in (\d+ minutes?|1 hour|a minute)\.", html)
    assert 0 < int(refused["Retry-After"]) <= 3600
    # Another address is not affected.
    UserFactory(username="otto")
    assert request_reset(client, "otto@example.org").status_code == 302
    assert len(mail.outbox) == 4 and mail.outbox[-1].to == ["otto@example.org"]


def test_reset_requests_are_limited_per_client_address(client, volunteer, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "2/h"
    statuses = [
        client.post(
            reverse("accounts:password_reset"),
            {"email": email},
            REMOTE_ADDR=f"2001:db8:9:9::{index}",  # one /64
        ).status_code
        for index, email in enumerate(
            ["nobody@example.org", "someone@example.org", "vera@example.org"], start=1
        )
    ]

    # Unknown addresses count too, so the limit reveals nothing about who has an account.
    assert statuses == [302, 302, 429]
    assert mail.outbox == []
    other = client.post(
        reverse("accounts:password_reset"),
        {"email": "vera@example.org"},
        REMOTE_ADDR="2001:db8:9:a::1",
    )
    assert other.status_code == 302
    assert len(mail.outbox) == 1


def test_an_invalid_reset_form_is_counted_but_still_explained(client, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "1/h"
    first = client.post(reverse("accounts:password_reset"), {"email": "not an address"})
    assert first.status_code == 200
    assert "Enter a valid email address" in first.content.decode()
    assert client.post(reverse("accounts:password_reset"), {"email": ""}).status_code == 429
