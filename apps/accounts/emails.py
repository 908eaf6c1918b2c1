"""Emails the accounts app sends. Password-reset emails are Django's own (templates in
templates/accounts/, named by accounts.views.PasswordResetView)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from .templatetags.accounts_tags import public_name


def invitation_accept_url(request, token):
    return request.build_absolute_uri(reverse("accounts:invitation_accept", args=[token]))


def send_invitation(request, invitation, token):
    """Email the one-time link. `token` is the raw token `invitation_create` returned; it is
    not stored anywhere, so this is the only chance to send it."""
    context = {
        "invitation": invitation,
        "inviter_name": public_name(invitation.invited_by) or gettext("An admin"),
        "accept_url": invitation_accept_url(request, token),
        "site_name": settings.SITE_NAME,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context, request)
    body = render_to_string("accounts/email/invitation_body.txt", context, request)
    send_mail(
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )
