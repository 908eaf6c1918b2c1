import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account: volunteer, reviewer or admin. The public sees only
    `display_name`, never the email address."""

    display_name = models.CharField(
        max_length=80,
        blank=True,
        help_text=_("The name shown publicly next to this person's changes."),
    )

    def __str__(self):
        return self.public_name

    @property
    def is_reviewer(self):
        """Whether this person may approve, reject, revert, withdraw and merge (see
        roles.is_reviewer): what the base layer's QuerySets ask of a user."""
        # Imported here: roles imports Django's auth views, which need this model loaded.
        from .roles import is_reviewer

        return is_reviewer(self)

    @property
    def public_name(self):
        """Display name, else username, else "user #<id>": never anything containing "@",
        so an email address used as a name is not published."""
        for candidate in (self.display_name, self.username):
            candidate = (candidate or "").strip()
            if candidate and "@" not in candidate:
                return candidate
        return f"user #{self.pk}" if self.pk else ""


class InvitationRole(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    REVIEWER = "reviewer", _("Reviewer")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


def hash_invitation_token(token):
    """Only this hash is stored: a leaked database does not reveal working links."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An invitation for one person to create an account with a role, sent by email as a
    one-time link. The link's token is never stored, only its SHA-256 hash."""

    email = models.EmailField(help_text=_("The address the one-time link is sent to."))
    role = models.CharField(
        max_length=20,
        choices=InvitationRole.choices,
        default=InvitationRole.VOLUNTEER,
        help_text=_(
            "Volunteers' changes wait for review; reviewers approve changes. "
            "Only admins may invite reviewers."
        ),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        help_text=_("The reviewer or admin who sent the invitation."),
    )
    token_hash = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("SHA-256 of the one-time token in the link; the token itself is not kept."),
    )
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, help_text=_("When the invitation was sent.")
    )
    expires_at = models.DateTimeField(
        help_text=_("After this moment the link no longer works."),
    )
    accepted_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the invitee created their account.")
    )
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_invitations",
        help_text=_("The account created from this invitation."),
    )
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the invitation was withdrawn before use.")
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_revoked",
        help_text=_("Who withdrew the invitation."),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["email"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=InvitationRole.values),
                name="invitation_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="invitation_not_both_accepted_and_revoked",
            ),
        ]

    def __str__(self):
        return f"Invitation for {self.email} as {self.get_role_display().lower()}"

    @property
    def status(self):
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self):
        return InvitationStatus(self.status).label

    @property
    def is_pending(self):
        return self.status == InvitationStatus.PENDING
