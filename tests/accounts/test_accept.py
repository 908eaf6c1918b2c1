"""Accepting an invitation through its one-time link."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts import services
from apps.accounts.models import Invitation
from apps.accounts.roles import is_reviewer, is_volunteer, role_name
from tests.factories import InvitationFactory, UserFactory

from .conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


def accept_url(token):
    return reverse("accounts:invitation_accept", args=[token])


def form_data(**overrides):
    return {
        "username": "newcomer",
        "display_name": "New Comer",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        **overrides,
    }


def test_page_shows_who_invited_and_the_role(client):
    inviter = UserFactory(display_name="Rita Reviewer")
    InvitationFactory(token="t1", invited_by=inviter, email="new@example.org")

    response = client.get(accept_url("t1"), follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Rita Reviewer invited you" in html
    assert "<strong>volunteer</strong>" in html
    assert "new@example.org" in html
    assert html.count("<h1") == 1
    assert '<label for="id_password1">' in html
    assert 'name="email"' not in html  # the address comes from the invitation


def test_accepting_creates_a_volunteer_and_signs_them_in(client, after_login_url):
    invitation = InvitationFactory(token="t1", email="new@example.org")

    response = client.post(accept_url("t1"), form_data())

    assert response.status_code == 302
    assert response.url == after_login_url
    user = User.objects.get(username="newcomer")
    assert user.email == "new@example.org"
    assert user.display_name == "New Comer"
    assert user.check_password(STRONG_PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["Volunteers"]
    assert is_volunteer(user) and not is_reviewer(user)
    assert not user.is_staff
    assert client.session["_auth_user_id"] == str(user.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_user == user
    assert invitation.accepted_at is not None
    # The new session works on a page that needs a login, which also shows the welcome.
    profile = client.get(reverse("accounts:profile"))
    assert profile.context["user"] == user
    assert "Welcome! Your account is ready" in profile.content.decode()


def test_accepting_a_reviewer_invitation_makes_a_reviewer(client):
    InvitationFactory(token="t1", role="reviewer")
    client.post(accept_url("t1"), form_data())
    user = User.objects.get(username="newcomer")
    assert list(user.groups.values_list("name", flat=True)) == ["Reviewers"]
    assert role_name(user) == "reviewer"


def test_a_used_link_is_refused(client):
    InvitationFactory(token="t1")
    client.post(accept_url("t1"), form_data())
    client.logout()

    for response in (
        client.get(accept_url("t1"), follow=True),
        client.post(accept_url("t1"), form_data(username="second")),
    ):
        assert response.status_code == 410
        assert "already been used" in response.content.decode()
    assert not User.objects.filter(username="second").exists()


def test_an_expired_link_is_refused(client):
    InvitationFactory(token="t1", expires_at=timezone.now() - datetime.timedelta(seconds=1))

    get = client.get(accept_url("t1"), follow=True)
    post = client.post(accept_url("t1"), form_data())

    assert get.status_code == post.status_code == 410
    assert "expired" in get.content.decode()
    assert not User.objects.filter(username="newcomer").exists()


def test_a_revoked_link_is_refused(client):
    InvitationFactory(token="t1", revoked_at=timezone.now())

    response = client.post(accept_url("t1"), form_data())

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize("token", ["no-such-token", "x" * 300, "%20"])
def test_an_unknown_link_is_a_clear_404(client, token):
    InvitationFactory(token="t1")
    response = client.get(accept_url(token), follow=True)
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_the_raw_hash_is_not_a_working_token(client):
    invitation = InvitationFactory(token="t1")
    assert client.get(accept_url(invitation.token_hash), follow=True).status_code == 404


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("804519273645", "This password is entirely numeric."),
    ],
)
def test_weak_passwords_are_refused_with_the_validators_message(client, password, message):
    invitation = InvitationFactory(token="t1")

    response = client.post(accept_url("t1"), form_data(password1=password, password2=password))

    assert response.status_code == 200
    assert message in response.context["form"].errors["password1"]
    assert message in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_password_similar_to_the_email_is_refused(client):
    InvitationFactory(token="t1", email="marguerite.lemaire@example.org")
    password = "marguerite.lemaire"
    response = client.post(accept_url("t1"), form_data(password1=password, password2=password))
    assert (
        "The password is too similar to the email address."
        in response.context["form"].errors["password1"]
    )


def test_errors_are_linked_to_their_fields(client):
    InvitationFactory(token="t1")
    response = client.post(accept_url("t1"), form_data(password2="something-else-entirely"))
    html = response.content.decode()
    assert "didn’t match" in html
    assert 'id="id_password2_error"' in html
    assert 'aria-describedby="id_password2_helptext id_password2_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'href="#id_password2"' in html  # from the summary at the top


def test_a_taken_username_is_refused(client):
    UserFactory(username="Newcomer")
    InvitationFactory(token="t1")
    response = client.post(accept_url("t1"), form_data(username="newcomer"))
    assert (
        "A user with that username already exists." in response.context["form"].errors["username"]
    )
    assert User.objects.filter(username__iexact="newcomer").count() == 1


@pytest.mark.parametrize("field", ["username", "display_name"])
def test_public_names_cannot_be_email_addresses(client, field):
    InvitationFactory(token="t1")
    response = client.post(accept_url("t1"), form_data(**{field: "jane@example.org"}))
    assert "can't contain “@”" in response.context["form"].errors[field][0]
    assert not User.objects.filter(email="jane@example.org").exists()


def test_an_email_that_already_has_an_account_is_refused(client):
    UserFactory(username="old", email="Someone@Example.org")
    invitation = InvitationFactory(token="t1", email="someone@example.org")

    get = client.get(accept_url("t1"), follow=True)
    post = client.post(accept_url("t1"), form_data())

    assert get.status_code == post.status_code == 409
    assert "already exists, so the invitation cannot be used" in get.content.decode()
    assert not User.objects.filter(username="newcomer").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_service_accepts_only_once():
    InvitationFactory(token="t1")
    services.invitation_accept(token="t1", username="first", password=STRONG_PASSWORD)
    with pytest.raises(services.InvitationAlreadyUsed):
        services.invitation_accept(token="t1", username="second", password=STRONG_PASSWORD)
    assert User.objects.filter(username="second").count() == 0
    assert Invitation.objects.get().accepted_user.username == "first"


def form_url(invitation):
    return reverse("accounts:invitation_accept_form", args=[invitation.pk])


def test_the_emailed_link_parks_its_token_and_shows_the_form_at_a_tokenless_address(client):
    """Chromium sends `Origin: null` from a page with `<meta name="referrer"
    content="no-referrer">`, which failed Django's CSRF check: the token now leaves the
    address instead, as in Django's own password reset, and the page keeps the site's
    same-origin Referer policy."""
    invitation = InvitationFactory(token="secret-token-1")

    redirect = client.get(accept_url("secret-token-1"))
    assert redirect.status_code == 302
    assert redirect.url == form_url(invitation) == f"/accounts/invitation/{invitation.pk}/"
    assert "secret-token-1" not in redirect.url

    page = client.get(redirect.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Create your account" in html
    assert "secret-token-1" not in html
    assert "no-referrer" not in html
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cache-Control"].startswith("max-age=0")


def test_the_tokenless_form_accepts_with_csrf_enforced_and_forgets_the_token(after_login_url):
    browser = Client(enforce_csrf_checks=True)
    invitation = InvitationFactory(token="t1", email="new@example.org")
    page = browser.get(accept_url("t1"), follow=True)
    token = page.context["csrf_token"]

    response = browser.post(
        form_url(invitation),
        {**form_data(), "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="http://testserver",
    )

    assert response.status_code == 302
    assert response.url == after_login_url
    assert browser.session["_auth_user_id"] == str(User.objects.get(username="newcomer").pk)
    assert browser.session["_invitation_tokens"] == {}
    # The used invitation is not shown again from the session.
    again = browser.get(form_url(invitation))
    assert again.status_code == 400
    assert "Open the link from your invitation email again" in again.content.decode()


def test_two_links_in_one_browser_each_accept_the_invitation_their_form_shows(client):
    """The audit's case: link A opened in one tab, link B in a second; submitting the first
    tab's form created the account with B's email and role, because one session key held
    the last link's token."""
    first = InvitationFactory(token="t-a", email="a@example.org", role="volunteer")
    second = InvitationFactory(token="t-b", email="b@example.org", role="reviewer")
    tab_a = client.get(accept_url("t-a"), follow=True)
    tab_b = client.get(accept_url("t-b"), follow=True)
    assert "a@example.org" in tab_a.content.decode()
    assert "b@example.org" in tab_b.content.decode()

    response = client.post(tab_a.request["PATH_INFO"], form_data(username="anna"))

    assert response.status_code == 302
    anna = User.objects.get(username="anna")
    assert anna.email == "a@example.org"
    assert role_name(anna) == "volunteer"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.accepted_user == anna
    assert second.is_pending
    # The second tab's form still accepts its own invitation afterwards.
    client.post(tab_b.request["PATH_INFO"], form_data(username="bea"))
    bea = User.objects.get(username="bea")
    assert (bea.email, role_name(bea)) == ("b@example.org", "reviewer")


def test_a_form_for_an_invitation_whose_link_this_browser_never_opened_is_refused(client):
    InvitationFactory(token="t-a")
    other = InvitationFactory(token="t-b", email="b@example.org")
    client.get(accept_url("t-a"))

    for response in (client.get(form_url(other)), client.post(form_url(other), form_data())):
        assert response.status_code == 400
        assert "Open the link from your invitation email again" in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()


def test_a_form_left_open_at_the_old_address_is_refused_not_guessed(client):
    """Before forms named their invitation they posted to `invitation/`; such a form cannot
    say which invitation it was for."""
    InvitationFactory(token="t1")
    client.get(accept_url("t1"))

    response = client.post("/accounts/invitation/", form_data())

    assert response.status_code == 400
    assert "This form is out of date and no account was created" in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()


def test_the_tokenless_form_without_a_link_says_what_to_do(client):
    invitation = InvitationFactory(token="t1")
    response = client.get(form_url(invitation))
    assert response.status_code == 400
    assert "Open the link from your invitation email again" in response.content.decode()


def test_a_refused_tokenless_post_creates_nothing(client):
    invitation = InvitationFactory(token="t1", revoked_at=timezone.now())
    client.get(accept_url("t1"))
    response = client.post(form_url(invitation), form_data())
    assert response.status_code == 410
    assert not User.objects.filter(username="newcomer").exists()
