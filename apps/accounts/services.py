"""Invitations: create, accept, revoke. Every write happens in one transaction; the rules
(who may invite whom, which links still work) live here so views, the admin and scripts
share them."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .models import Invitation, InvitationRole, hash_invitation_token
from .roles import ROLE_GROUPS, is_reviewer


class InvitationError(Exception):
    """Why an invitation link cannot be used; `status` is the HTTP status to answer with."""

    status = 410
    reason = "unusable"

    def __init__(self, message, invitation=None):
        super().__init__(message)
        self.message = message
        self.invitation = invitation


class InvitationNotFound(InvitationError):
    status = 404
    reason = "unknown"


class InvitationExpired(InvitationError):
    reason = "expired"


class InvitationRevoked(InvitationError):
    reason = "revoked"


class InvitationAlreadyUsed(InvitationError):
    reason = "used"


class InvitationEmailTaken(InvitationError):
    status = 409
    reason = "email_taken"


class InvitationRefused(Exception):
    """An invitation that may not be created (the message is shown next to the form)."""


def is_admin(user):
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def can_invite(user, role):
    """Reviewers may invite volunteers; only admins (staff) may invite reviewers."""
    if role == InvitationRole.REVIEWER:
        return is_admin(user)
    if role == InvitationRole.VOLUNTEER:
        return is_reviewer(user)
    return False


def can_revoke(user, invitation):
    return can_invite(user, invitation.role)


def email_has_account(email):
    return get_user_model().objects.filter(email__iexact=email.strip()).exists()


def new_token():
    return secrets.token_urlsafe(32)


def invitation_create(*, invited_by, email, role):
    """Create an invitation; return `(invitation, token)`. The token is returned once, to be
    put in the link, and only its hash is stored. Raises PermissionDenied if `invited_by`
    may not invite to `role`, InvitationRefused if the address already has an account or a
    pending invitation."""
    if not can_invite(invited_by, role):
        raise PermissionDenied("You may not invite people with this role.")
    email = get_user_model().objects.normalize_email(email.strip())
    now = timezone.now()
    with transaction.atomic():
        if email_has_account(email):
            raise InvitationRefused(
                gettext(
                    "Someone with this email address already has an account. "
                    "They can sign in, or reset their password from the sign-in page."
                )
            )
        pending = Invitation.objects.pending(now).filter(email__iexact=email).first()
        if pending:
            raise InvitationRefused(
                gettext(
                    "This address already has a pending invitation (sent %(date)s). Revoke it "
                    "below to send a new link."
                )
                % {"date": f"{timezone.localtime(pending.created_at):%Y-%m-%d}"}
            )
        token = new_token()
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            invited_by=invited_by,
            token_hash=hash_invitation_token(token),
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
        )
    return invitation, token


def _check_usable(invitation, now):
    if invitation.accepted_at:
        raise InvitationAlreadyUsed(
            gettext(
                "This invitation has already been used to create an account. "
                "Sign in with that account, or reset its password from the sign-in page."
            ),
            invitation,
        )
    if invitation.revoked_at:
        raise InvitationRevoked(
            gettext("This invitation was withdrawn. Ask the person who invited you for a new one."),
            invitation,
        )
    if invitation.expires_at <= now:
        raise InvitationExpired(
            gettext(
                "This invitation has expired. Ask the person who invited you to send a new one."
            ),
            invitation,
        )
    if email_has_account(invitation.email):
        raise InvitationEmailTaken(
            gettext(
                "An account with this invitation's email address already exists, so the "
                "invitation cannot be used. Sign in with that account, or reset its password "
                "from the sign-in page."
            ),
            invitation,
        )


def invitation_for_token(token):
    """The invitation whose link carries `token`, if it can still be accepted; otherwise
    raises the matching InvitationError."""
    invitation = (
        Invitation.objects.select_related("invited_by")
        .filter(token_hash=hash_invitation_token(token or ""))
        .first()
    )
    if invitation is None:
        raise InvitationNotFound(
            gettext(
                "This invitation link is not valid. Check that you copied the whole link from "
                "the email, or ask for a new invitation."
            )
        )
    _check_usable(invitation, timezone.now())
    return invitation


def invitation_accept(*, token, username, password, display_name=""):
    """Create the invitee's account from a usable invitation and mark it used, atomically:
    a link works once even if submitted twice at the same moment. `password` must already
    have passed the password validators. Returns the new user."""
    User = get_user_model()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(token_hash=hash_invitation_token(token or ""))
            .first()
        )
        if invitation is None:
            raise InvitationNotFound(gettext("This invitation link is not valid."))
        now = timezone.now()
        _check_usable(invitation, now)
        user = User.objects.create_user(
            username=username,
            email=invitation.email,
            password=password,
            display_name=display_name,
        )
        group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[invitation.role])
        user.groups.add(group)
        invitation.accepted_at = now
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user


def invitation_revoke(*, invitation, revoked_by):
    """Withdraw a pending invitation so its link stops working."""
    if not can_revoke(revoked_by, invitation):
        raise PermissionDenied("You may not revoke this invitation.")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending:
            raise InvitationRefused(
                gettext("Only pending invitations can be revoked; this one is %(status)s.")
                % {"status": str(invitation.get_status_display()).lower()}
            )
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = revoked_by
        invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation
