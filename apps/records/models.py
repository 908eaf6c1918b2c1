from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import TimeStampedModel
from apps.core.record_urls import record_url


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ChangeAction(models.TextChoices):
    CREATE = "create", _("New record")
    UPDATE = "update", pgettext_lazy("type of change", "Edit")
    REVERT = "revert", pgettext_lazy("type of change", "Revert")
    WITHDRAW = "withdraw", _("Withdraw")
    RESTORE = "restore", _("Restore")
    MERGE = "merge", pgettext_lazy("type of change", "Merge")
    IMPORT = "import", _("Import")


class ChangeRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ChangeStatus.PENDING)

    def for_record(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )

    def with_related(self):
        return self.select_related("content_type", "author", "reviewer")


class ChangeRequest(TimeStampedModel):
    """One submitted change to one record: a volunteer's edit waiting for review, or the
    record of a change that was published directly (a reviewer's edit, a revert, a merge).

    A pending edit keeps the submitted form data in `payload`; approving binds the same form
    to it and saves through the same validation as any edit. A volunteer's new record is
    saved at once as a pending (unpublished) row, which approval publishes."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, help_text=_("What kind of record changes.")
    )
    object_id = models.PositiveBigIntegerField(help_text=_("Which record changes."))
    record = GenericForeignKey("content_type", "object_id")
    action = models.CharField(
        max_length=10, choices=ChangeAction.choices, help_text=_("What the change does.")
    )
    status = models.CharField(
        max_length=10,
        choices=ChangeStatus.choices,
        default=ChangeStatus.PENDING,
        db_index=True,
        help_text=_("Pending until a reviewer approves or rejects it."),
    )
    payload = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("The submitted form data of a pending edit, applied when approved."),
    )
    base_version = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text=_("The record's version the edit was based on, to detect conflicts."),
    )
    summary = models.CharField(
        max_length=500, blank=True, help_text=_("The author's edit summary: what and why.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="changes",
        help_text=_("Who made the change."),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_changes",
        help_text=_("Who approved or rejected it."),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, help_text=_("When it was decided."))
    review_reason = models.TextField(
        blank=True, help_text=_("Why it was rejected (shown to the author), or a reviewer's note.")
    )
    version = models.PositiveBigIntegerField(
        null=True, blank=True, help_text=_("The record version this change produced, once applied.")
    )

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="change_status_created"),
            models.Index(fields=["content_type", "object_id"], name="change_record"),
            models.Index(fields=["author", "status"], name="change_author_status"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} of {self.content_type.name} {self.object_id}"

    def get_absolute_url(self):
        return record_url("editing:change_detail", self.pk)

    @property
    def is_pending(self):
        return self.status == ChangeStatus.PENDING


class SearchEntry(models.Model):
    """One published record as site-wide search and the lists' `q` find it: what its kind
    declared as its search document (apps/records/search.py), folded for matching, with
    what a result shows (name, address, passage) so that a page of results needs no other
    query. Only published records have an entry; the index is kept by apps/records/search.py
    on every save and rebuilt by `manage.py reindex_search`."""

    kind = models.CharField(max_length=40, help_text="The registry key of the record's kind.")
    record_id = models.PositiveBigIntegerField(help_text="The record's primary key.")
    name = models.CharField(max_length=500, help_text="The record's name as results show it.")
    url = models.CharField(max_length=500, help_text="The record's public address.")
    names = models.TextField(
        blank=True,
        help_text="The record's name, other names and identifiers, folded: typo-tolerant "
        "matching compares a search with these.",
    )
    text = models.TextField(
        blank=True, help_text="The record's other searchable text, as written (for passages)."
    )
    folded = models.TextField(
        blank=True, help_text="Names and text folded (lowercase, no accents), for matching."
    )
    country = models.CharField(max_length=2, blank=True, help_text="Where the record is.")
    region = models.CharField(max_length=10, blank=True, help_text="ISO 3166-2 code, e.g. OR.")
    vector = SearchVectorField(
        null=True,
        blank=True,
        help_text="PostgreSQL's full-text vector of the names and text (weighted: the name "
        "first); empty on SQLite, which matches `folded` instead.",
    )
    updated_at = models.DateTimeField(auto_now=True, help_text="When the entry was written.")

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="search_entry_unique")
        ]
        indexes = [models.Index(fields=["kind", "country", "region"])]

    def __str__(self):
        return f"{self.kind} {self.record_id}: {self.name}"
