"""Creating, listing and revoking invitations; the emailed link."""

import datetime
import hashlib
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from apps.accounts import services
from apps.accounts.models import Invitation
from tests.factories import InvitationFactory, UserFactory, sign_in

pytestmark = pytest.mark.django_db

URL = reverse("accounts:invitations")
LINK = re.compile(r"https?://testserver/accounts/invitation/[A-Za-z0-9_-]+/")


def invite(client, user, email="newcomer@example.org", role="volunteer"):
    sign_in(client, user)
    return client.post(URL, {"email": email, "role": role})


def test_reviewer_invites_a_volunteer_and_the_email_carries_a_one_time_link(client, reviewer):
    response = invite(client, reviewer)

    assert response.status_code == 302
    assert response.url == URL
    invitation = Invitation.objects.get()
    assert invitation.email == "newcomer@example.org"
    assert invitation.role == "volunteer"
    assert invitation.invited_by == reviewer
    assert invitation.is_pending
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newcomer@example.org"]
    assert "Rita Reviewer" in message.body
    assert "volunteer" in message.body
    links = LINK.findall(message.body)
    assert len(links) == 1
    token = links[0].rstrip("/").rsplit("/", 1)[1]
    # Only the hash of the token is stored.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash


def test_the_emailed_link_works_once(client, reviewer):
    invite(client, reviewer)
    link = LINK.search(mail.outbox[0].body).group(0)
    client.logout()

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    # The form sits at a token-less address naming its invitation, and posts back to it.
    form_url = form_page.redirect_chain[-1][0]
    invitation = Invitation.objects.get()
    assert form_url == reverse("accounts:invitation_accept_form", args=[invitation.pk])
    response = client.post(
        form_url,
        {
            "username": "newcomer",
            "display_name": "New Comer",
            "password1": "plum-kettle-orbit-4417",
            "password2": "plum-kettle-orbit-4417",
        },
    )
    assert response.status_code == 302
    assert Invitation.objects.get().accepted_user.username == "newcomer"
    client.logout()

    reused = client.get(link, follow=True)
    assert reused.status_code == 410
    assert "already been used" in reused.content.decode()


def test_invite_page_lists_invitations_with_their_status(client, reviewer):
    now = timezone.now()
    InvitationFactory(email="pending@example.org")
    InvitationFactory(email="expired@example.org", expires_at=now - datetime.timedelta(days=1))
    InvitationFactory(email="revoked@example.org", revoked_at=now)
    InvitationFactory(
        email="accepted@example.org", accepted_at=now, accepted_user=UserFactory(username="acc")
    )
    sign_in(client, reviewer)

    response = client.get(URL)

    assert response.status_code == 200
    rows = {
        invitation.email: invitation.get_status_display()
        for invitation in response.context["invitations"]
    }
    assert rows == {
        "pending@example.org": "Pending",
        "expired@example.org": "Expired",
        "revoked@example.org": "Revoked",
        "accepted@example.org": "Accepted",
    }
    html = response.content.decode()
    assert html.count(">Revoke</button>") == 1  # only the pending one
    for label in ("Pending", "Expired", "Revoked", "Accepted"):
        assert f">{label}</span>" in html


def test_reviewer_is_offered_only_the_volunteer_role(client, reviewer):
    sign_in(client, reviewer)
    html = client.get(URL).content.decode()
    assert 'value="volunteer"' in html
    assert 'value="reviewer"' not in html


def test_reviewer_cannot_invite_a_reviewer(client, reviewer):
    response = invite(client, reviewer, role="reviewer")

    assert response.status_code == 200
    assert "Only admins can invite reviewers" in response.content.decode()
    assert response.context["form"].errors["role"]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_service_refuses_a_reviewer_inviting_a_reviewer(reviewer):
    with pytest.raises(PermissionDenied):
        services.invitation_create(invited_by=reviewer, email="x@example.org", role="reviewer")
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["volunteer", "reviewer"])
def test_admin_can_invite_either_role(client, site_admin, role):
    response = invite(client, site_admin, role=role)

    assert response.status_code == 302
    assert Invitation.objects.get().role == role
    assert len(mail.outbox) == 1


def test_admin_is_offered_both_roles(client, site_admin):
    sign_in(client, site_admin)
    html = client.get(URL).content.decode()
    assert 'value="volunteer"' in html
    assert 'value="reviewer"' in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_volunteer_gets_403(client, volunteer, method):
    client.force_login(volunteer)
    response = getattr(client, method)(URL, {"email": "x@example.org", "role": "volunteer"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, method):
    response = getattr(client, method)(URL, {"email": "x@example.org", "role": "volunteer"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login") + "?next=")
    assert not Invitation.objects.exists()


def test_user_without_role_gets_403(client):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_cannot_invite_an_address_that_has_an_account(client, reviewer):
    UserFactory(email="Taken@Example.org")
    response = invite(client, reviewer, email="taken@example.org")

    assert response.status_code == 200
    assert "already has an account" in response.context["form"].errors["email"][0]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_cannot_invite_an_address_with_a_pending_invitation(client, reviewer):
    InvitationFactory(email="twice@example.org")
    response = invite(client, reviewer, email="twice@example.org")

    assert "pending invitation" in response.context["form"].errors["email"][0]
    assert Invitation.objects.count() == 1
    assert mail.outbox == []


def test_an_expired_invitation_does_not_block_a_new_one(client, reviewer):
    InvitationFactory(
        email="again@example.org", expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert invite(client, reviewer, email="again@example.org").status_code == 302
    assert Invitation.objects.count() == 2


def test_invitation_expires_after_the_configured_days(client, reviewer, settings):
    settings.INVITATION_VALID_DAYS = 3
    invite(client, reviewer)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=3)


def test_failed_email_leaves_no_usable_invitation(client, reviewer, monkeypatch):
    def broken_send(*args, **kwargs):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr("apps.accounts.emails.send_mail", broken_send)
    response = invite(client, reviewer)

    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    assert not Invitation.objects.pending().exists()


def test_reviewer_revokes_a_pending_invitation_and_its_link_stops_working(client, reviewer):
    invitation = InvitationFactory(token="revoke-me")
    sign_in(client, reviewer)

    response = client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert invitation.revoked_by == reviewer
    client.logout()
    page = client.get(reverse("accounts:invitation_accept", args=["revoke-me"]), follow=True)
    assert page.status_code == 410
    assert "withdrawn" in page.content.decode()


def test_revoke_is_post_only(client, reviewer):
    invitation = InvitationFactory()
    sign_in(client, reviewer)
    assert (
        client.get(reverse("accounts:invitation_revoke", args=[invitation.pk])).status_code == 405
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_reviewer_cannot_revoke_a_reviewer_invitation(client, reviewer):
    invitation = InvitationFactory(role="reviewer")
    sign_in(client, reviewer)

    response = client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_volunteer_cannot_revoke(client, volunteer):
    invitation = InvitationFactory()
    client.force_login(volunteer)
    response = client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_accepted_invitation_cannot_be_revoked(client, site_admin):
    invitation = InvitationFactory(accepted_at=timezone.now())
    sign_in(client, site_admin)

    response = client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]), follow=True)

    assert "Only pending invitations can be revoked" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_str_names_the_address_and_role():
    invitation = InvitationFactory(email="someone@example.org", role="reviewer")
    assert str(invitation) == "Invitation for someone@example.org as reviewer"


def test_every_invitation_field_has_help_text():
    for field in Invitation._meta.get_fields():
        if field.concrete and not field.primary_key:
            assert field.help_text, field.name


def test_service_refuses_an_address_that_has_an_account_or_a_pending_invitation(reviewer):
    # The form checks first; the service checks again inside its transaction.
    UserFactory(email="member@example.org")
    InvitationFactory(email="invited@example.org")
    for email in ("MEMBER@example.org", "invited@EXAMPLE.org"):
        with pytest.raises(services.InvitationRefused):
            services.invitation_create(invited_by=reviewer, email=email, role="volunteer")
    assert Invitation.objects.count() == 1


def test_error_summary_links_reach_their_fields(client, reviewer):
    response = invite(client, reviewer, email="not-an-address", role="reviewer")
    html = response.content.decode()
    for field_id in ("id_email", "id_role"):
        assert f'href="#{field_id}"' in html
        assert f'id="{field_id}"' in html
