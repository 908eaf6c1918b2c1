import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.history import PAGE_MAX, QUOTE_MAX_LENGTH, registry_history
from apps.core.models import PublishableModel
from apps.core.partial_dates import (
    PartialDateAccessor,
    check_partial_date,
    partial_date_fields,
)
from apps.core.record_urls import record_url

# validate_document_size is named by old migrations.
from .uploads import validate_document, validate_document_size  # noqa: F401


class SourceKind(models.TextChoices):
    NEWS = "news", _("News report")
    RECORDS_RELEASE = "records-release", _("Public-records release")
    GOVERNMENT_DOCUMENT = "government-document", _("Government document")
    COURT_FILING = "court-filing", _("Court filing")
    VENDOR_MATERIAL = "vendor-material", _("Vendor material")
    PRESS_RELEASE = "press-release", _("Press release")
    REPORT = "report", _("NGO or academic report")
    OTHER = "other", _("Other")


class TextStatus(models.TextChoices):
    NONE = "none", _("No document")
    PENDING = "pending", _("Text pending")
    EXTRACTED = "extracted", _("Text extracted")
    PARTIAL = "partial", _("Text cut short")
    FAILED = "failed", _("Text unreadable")


def document_path(source, filename):
    """An unguessable name: a document waiting for review must not be found by guessing
    its address from the uploader's file name."""
    return f"sources/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class Source(PublishableModel):
    """The evidence behind a record: an article, a released document, a filing."""

    title = models.CharField(
        max_length=300, db_index=True, help_text=_("The document's or article's title.")
    )
    url = models.URLField(
        "URL",
        max_length=1000,
        blank=True,
        help_text=_("Where the source is published. Unique: one source per address."),
    )
    publisher = models.CharField(
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("Who published it: a newspaper, an agency, an organisation."),
    )
    publication_date, publication_date_precision = partial_date_fields(
        "published", "When the source was published."
    )
    # "published" alone means public (visibility): the date is the source's publication.
    publication = PartialDateAccessor("publication_date")
    kind = models.CharField(
        max_length=20,
        choices=SourceKind.choices,
        default=SourceKind.OTHER,
        db_index=True,
        help_text=_("What sort of document this is."),
    )
    archive_url = models.URLField(
        "archived copy URL",
        max_length=1000,
        blank=True,
        help_text=_("A copy in a web archive, in case the original disappears."),
    )
    document = models.FileField(
        upload_to=document_path,
        blank=True,
        validators=[validate_document],
        help_text=_("An uploaded copy of the document (PDF)."),
    )
    document_text = models.TextField(
        blank=True, help_text=_("Text extracted from the uploaded document, for search.")
    )
    document_text_status = models.CharField(
        max_length=10,
        choices=TextStatus.choices,
        default=TextStatus.NONE,
        db_index=True,
        help_text=_(
            "Whether the document's text has been read yet. An upload waits as pending "
            "until `manage.py extract_documents` reads it, outside any request, within time "
            "and size limits; partial means a limit cut it short."
        ),
    )
    notes = models.TextField(blank=True, help_text=_("What in the source supports which claims."))

    # The text follows from the document. Out of the versions, the text of a replaced
    # (say, unredacted) document does not linger in the public history, and each version
    # does not carry up to DOCUMENT_TEXT_MAX_CHARS characters.
    history = registry_history(excluded_fields=["document_text", "document_text_status"])

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-publication_date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~models.Q(url=""), name="source_url_unique_when_set"
            ),
        ]

    # What __str__ returns, for the API's links written by PostgreSQL (apps/api/records.py).
    STR_FIELD = "title"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return record_url("sources:detail", self.pk)

    @property
    def citation(self):
        """How a form's list of sources cites this one: its address, or #number for a source
        without one (a document or a paper record)."""
        return self.url or f"#{self.pk}"

    @property
    def document_url(self):
        """Where readers get the current document: a view that checks who may see it. Never
        the storage path, which would outlive a replacement or a withdrawal."""
        return reverse("sources:document", args=[self.pk]) if self.document else ""

    def save(self, *args, **kwargs):
        # Reading a PDF's text can take long on a crafted file, so it never happens here (in
        # a request): a new document waits for `extract_documents`. The text of a replaced
        # or removed document goes with it, as it may be what a redaction removed.
        if not self.document:
            self.document_text, self.document_text_status = "", TextStatus.NONE
        elif self._document_changed():
            self.document_text, self.document_text_status = "", TextStatus.PENDING
        super().save(*args, **kwargs)

    def _document_changed(self):
        """A new upload, or another stored file (a revert brings an older one back)."""
        if not self.document._committed or self.pk is None:
            return True
        stored = Source.objects.filter(pk=self.pk).values_list("document", flat=True).first()
        return stored != self.document.name

    def clean(self):
        errors = {}
        check_partial_date(self, "publication_date", errors)
        if not (self.url or self.document):
            errors.setdefault("url", []).append(
                gettext("Give the source's URL or upload the document.")
            )
        if errors:
            raise ValidationError(errors)


def published_sources(lookup):
    """Prefetch only the published sources of a relation other than the citations (a
    request's released documents)."""
    return models.Prefetch(lookup, queryset=Source.objects.published().order_by("pk"))


def published_citations(model):
    """Prefetch the citations of `model`'s records that cite published sources, each with
    its source (read by `public_citations` and `public_sources`): one query."""
    citation_model = model.citations.rel.related_model
    return models.Prefetch(
        "citations",
        queryset=citation_model.objects.filter(source__in=Source.objects.published())
        .select_related("source")
        .order_by("source_id"),
    )


class CitesSources(models.Model):
    """A record that cites sources (a `sources` field from sources_field()). Pages and
    exports read its citations only through `public_citations` and `public_sources`, never
    `sources.all`, so that a page that forgot the published_citations() prefetch still
    shows no pending or withdrawn source."""

    class Meta:
        abstract = True

    @property
    def public_sources(self):
        """The record's published sources, by number (see public_citations)."""
        return [citation.source for citation in self.public_citations]

    @property
    def public_citations(self):
        """The record's citations of published sources, by source number, each with its
        pinpoint (`page`, `quote`) and its `source`: what pages and exports list. From the
        published_citations() prefetch when there is one (filtered again, in case a plain
        prefetch filled it), else one query."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("citations")
        if prefetched is not None:
            return sorted(
                (citation for citation in prefetched if citation.source.is_published),
                key=lambda citation: citation.source_id,
            )
        return list(
            self.citations.filter(source__in=Source.objects.published())
            .select_related("source")
            .order_by("source_id")
        )


class Citation(models.Model):
    """One record's citation of one source, with where in the source the fact is: its page
    and a short quote (a pinpoint). Each kind that cites sources has its own table of these
    (a `<Kind>Citation` model, the `through` of its `sources`), whose foreign key to the
    record is named after the kind and has the related name `citations`."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="+", help_text=_("The source cited.")
    )
    page = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(PAGE_MAX)],
        help_text=_(
            "The page of the source where the fact is (1 for the first page). For an "
            "uploaded PDF, the citation links to that page."
        ),
    )
    quote = models.CharField(
        max_length=QUOTE_MAX_LENGTH,
        blank=True,
        help_text=_("A short quote of the source's words that support the fact."),
    )

    class Meta:
        abstract = True

    @property
    def has_pinpoint(self):
        return self.page is not None or bool(self.quote)

    @property
    def page_url(self):
        """A link that opens the cited page: of the uploaded document (browsers' PDF viewers
        read `#page=`), else of a web address that is itself a PDF; "" when there is none."""
        if self.page is None:
            return ""
        source = self.source
        if source.document:
            return f"{source.document_url}#page={self.page}"
        if source.url.lower().split("?")[0].split("#")[0].endswith(".pdf"):
            return f"{source.url.split('#')[0]}#page={self.page}"
        return ""


def sources_field(related_name, *, through):
    """The citations of a record: `through` is the kind's Citation model. A published record
    cites at least one published source (the write gateway's publication rules)."""
    return models.ManyToManyField(
        Source,
        blank=True,
        through=through,
        related_name=related_name,
        help_text=_("The sources that support this record."),
    )
