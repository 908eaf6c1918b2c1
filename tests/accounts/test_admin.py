"""The Django admin: invitations listed, filtered and revoked; users with their role."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import InvitationFactory, UserFactory, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    sign_in(client, UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_invitation_changelist_searches_and_filters(superuser_client):
    InvitationFactory(email="findme@example.org")
    InvitationFactory(email="revoked@example.org", revoked_at=timezone.now())
    url = reverse("admin:accounts_invitation_changelist")

    found = superuser_client.get(url, {"q": "findme"})
    pending = superuser_client.get(url, {"status": "pending"})

    assert found.status_code == 200
    assert [i.email for i in found.context["cl"].result_list] == ["findme@example.org"]
    assert [i.email for i in pending.context["cl"].result_list] == ["findme@example.org"]


def test_invitation_change_page_does_not_show_the_token_hash(superuser_client):
    invitation = InvitationFactory(email="findme@example.org")
    url = reverse("admin:accounts_invitation_change", args=[invitation.pk])
    response = superuser_client.get(url)
    assert response.status_code == 200
    assert "findme@example.org" in response.content.decode()
    assert invitation.token_hash not in response.content.decode()


def test_invitations_are_not_added_in_the_admin(superuser_client):
    assert superuser_client.get(reverse("admin:accounts_invitation_add")).status_code == 403


def test_admin_action_revokes_pending_invitations(superuser_client):
    pending = InvitationFactory()
    accepted = InvitationFactory(accepted_at=timezone.now())

    superuser_client.post(
        reverse("admin:accounts_invitation_changelist"),
        {"action": "revoke", "_selected_action": [pending.pk, accepted.pk]},
    )

    pending.refresh_from_db()
    accepted.refresh_from_db()
    assert pending.revoked_at is not None
    assert accepted.revoked_at is None


def test_user_changelist_has_a_role_column(superuser_client, volunteer, reviewer):
    response = superuser_client.get(reverse("admin:accounts_user_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "column-role" in html
    assert '<td class="field-role">volunteer</td>' in html
    assert '<td class="field-role">reviewer</td>' in html
    assert '<td class="field-role">admin</td>' in html
