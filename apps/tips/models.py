"""Tips from the public: a report that some agency uses some surveillance technology, sent
without an account. A tip is never published; a reviewer researches it and, if it holds up,
records it as cited data. The sender's contact email and the anti-abuse metadata are private:
only reviewers (and admins) ever see them."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

DESCRIPTION_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 2000
USER_AGENT_MAX_LENGTH = 300


class TipStatus(models.TextChoices):
    NEW = "new", _("New")
    HANDLED = "handled", _("Handled")
    DISMISSED = "dismissed", _("Dismissed")


class TipQuerySet(models.QuerySet):
    def open(self):
        """Tips no reviewer has handled or dismissed yet, oldest first."""
        return self.filter(status=TipStatus.NEW).order_by("created_at", "pk")


class Tip(TimeStampedModel):
    technology_text = models.CharField(
        _("technology"),
        max_length=200,
        blank=True,
        help_text=_("What technology the sender says is used, in their words."),
    )
    technology = models.ForeignKey(
        "technologies.Technology",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tips",
        help_text=_("The technology from the registry's taxonomy, if the sender picked one."),
    )
    agency_name = models.CharField(
        _("agency"),
        max_length=200,
        help_text=_("Which agency uses it, as the sender named it."),
    )
    locality = models.CharField(
        _("city or county"),
        max_length=200,
        blank=True,
        help_text=_("The city or county where the agency is."),
    )
    region = models.CharField(
        _("state or region"),
        max_length=100,
        blank=True,
        help_text=_("The state, province or region, as the sender wrote it."),
    )
    when = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("When it was bought or used, as precisely as the sender knows (e.g. 2019)."),
    )
    description = models.TextField(
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
        help_text=_("What the sender knows about it."),
    )
    source_url = models.URLField(
        _("source link"),
        max_length=500,
        blank=True,
        help_text=_("A link to a news story, public document or records release, if any."),
    )
    contact_email = models.EmailField(
        blank=True,
        help_text=_(
            "PRIVATE: the sender's address for follow-up questions. Only reviewers see it."
        ),
    )
    status = models.CharField(
        max_length=10,
        choices=TipStatus.choices,
        default=TipStatus.NEW,
        help_text=_("New tips wait in the review queue; handled and dismissed ones leave it."),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_tips",
        help_text=_("The reviewer who marked the tip handled or dismissed it."),
    )
    handled_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a reviewer handled or dismissed the tip.")
    )
    reviewer_note = models.TextField(
        blank=True,
        max_length=NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
        help_text=_("The reviewer's note: what was done with the tip, or why it was dismissed."),
    )
    ip_hash = models.CharField(
        _("IP address hash"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_(
            "PRIVATE: a salted hash of the sender's IP address (never the address "
            "itself), to spot floods from one connection."
        ),
    )
    user_agent = models.CharField(
        max_length=USER_AGENT_MAX_LENGTH,
        blank=True,
        editable=False,
        help_text=_("PRIVATE: the sender's browser identification, truncated."),
    )

    objects = TipQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="tips_status_created_idx")]

    def __str__(self):
        what = self.technology_text or (self.technology.name if self.technology else "Tip")
        return f"{what} at {self.agency_name}"[:120]

    @property
    def technology_label(self):
        """The sender's words and their pick, without repeating the same name."""
        picked = self.technology.name if self.technology else ""
        if picked and self.technology_text and picked.lower() != self.technology_text.lower():
            return f"{self.technology_text} ({picked})"
        return self.technology_text or picked

    @property
    def place(self):
        return ", ".join(part for part in (self.locality, self.region) if part)

    @property
    def is_open(self):
        return self.status == TipStatus.NEW
