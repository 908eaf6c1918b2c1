"""The signed-in person's own page."""

import pytest
from django.urls import reverse

from tests.factories import sign_in

pytestmark = pytest.mark.django_db
URL = reverse("accounts:profile")


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={URL}"


def test_profile_shows_email_role_and_account_links(client, volunteer):
    client.force_login(volunteer)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "vera@example.org" in html
    assert "Volunteer" in html
    assert "Vera Volunteer" in html
    assert reverse("accounts:password_change") in html
    assert f'<form method="post" action="{reverse("accounts:logout")}">' in html
    assert reverse("accounts:invitations") not in html  # volunteers cannot invite


def test_reviewers_get_a_link_to_invitations(client, reviewer):
    sign_in(client, reviewer)
    html = client.get(URL).content.decode()
    assert "Reviewer" in html
    assert reverse("accounts:invitations") in html


def test_edit_display_name(client, volunteer):
    client.force_login(volunteer)
    response = client.post(URL, {"display_name": "  Vera from Portland  "}, follow=True)
    volunteer.refresh_from_db()
    assert volunteer.display_name == "Vera from Portland"
    assert "Your display name was saved." in response.content.decode()


def test_display_name_can_be_cleared_to_show_the_username(client, volunteer):
    client.force_login(volunteer)
    client.post(URL, {"display_name": ""})
    volunteer.refresh_from_db()
    assert volunteer.display_name == ""
    assert "Shown publicly as</dt><dd>vera</dd>" in client.get(URL).content.decode()


def test_display_name_cannot_be_an_email_address(client, volunteer):
    client.force_login(volunteer)
    response = client.post(URL, {"display_name": "vera@example.org"})
    assert response.status_code == 200
    assert "can't contain “@”" in response.context["form"].errors["display_name"][0]
    volunteer.refresh_from_db()
    assert volunteer.display_name == "Vera Volunteer"


def test_only_the_display_name_can_be_changed(client, volunteer):
    client.force_login(volunteer)
    client.post(URL, {"display_name": "V", "email": "evil@example.org", "is_staff": "on"})
    volunteer.refresh_from_db()
    assert volunteer.email == "vera@example.org"
    assert not volunteer.is_staff
