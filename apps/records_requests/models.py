"""Public-records (FOIA) requests, and each jurisdiction's legal deadline to answer them.

A request's due date is derived (filed date + the deadline of its agency's jurisdiction) but
stored, in the indexed `due_date` column, so that the list's `overdue` filter is one plain
query (`due_date < today` among open requests) on every database, rather than date
arithmetic per row that SQLite and PostgreSQL write differently and no index can serve. The
column is kept true by the one path every write takes: `RecordsRequest.save()` computes it,
and a change to a deadline (or to an agency's place) recomputes it for the requests it
governs (`recompute_due_dates`, called from `ResponseDeadline.save()` and from a signal on
agencies, see signals.py). It is left out of the history: it is not anyone's statement."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from apps.core.history import registry_history
from apps.core.models import (
    PublishableModel,
    PublishableQuerySet,
    country_field,
    country_name,
    region_name,
    validate_region,
)
from apps.core.partial_dates import (
    DatePrecision,
    PartialDateAccessor,
    check_date_order,
    check_not_in_future,
    check_partial_date,
    date_order_constraint,
    partial_date_fields,
)
from apps.core.record_urls import record_url
from apps.sources.models import (
    Citation,
    CitesSources,
    Source,
    published_citations,
    published_sources,
    sources_field,
)


class DayKind(models.TextChoices):
    BUSINESS = "business", _("Business days")
    CALENDAR = "calendar", _("Calendar days")


def add_days(start, days, kind):
    """`days` after `start`: calendar days, or business days (Monday to Friday; public
    holidays are not modelled, so a business-day deadline may fall a day or two early)."""
    if kind == DayKind.CALENDAR:
        return start + datetime.timedelta(days=days)
    current, left = start, days
    while left > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


class ResponseDeadlineQuerySet(PublishableQuerySet):
    def with_related(self):
        return self.prefetch_related(published_citations(self.model))


class ResponseDeadline(PublishableModel, CitesSources):
    """How long the law gives agencies of one jurisdiction to answer a records request."""

    country = country_field()
    region = models.CharField(
        max_length=3,
        blank=True,
        help_text=_(
            "State or other subdivision: its ISO 3166-2 code without the country, e.g. "
            "WA. Empty for a country-wide law."
        ),
    )
    days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("The number of days the statute gives the agency to respond."),
    )
    day_kind = models.CharField(
        "counted in",
        max_length=8,
        choices=DayKind.choices,
        default=DayKind.BUSINESS,
        help_text=_("Whether the days are business days (Monday to Friday) or calendar days."),
    )
    statute = models.CharField(
        max_length=200, help_text=_("The statute that sets the deadline, e.g. RCW 42.56.520.")
    )
    notes = models.TextField(
        blank=True,
        help_text=_(
            "What the deadline requires (an answer, an acknowledgement, an estimate) "
            "and how agencies may extend it."
        ),
    )
    sources = sources_field("response_deadlines", through="ResponseDeadlineCitation")

    objects = ResponseDeadlineQuerySet.as_manager()
    history = registry_history()
    HISTORY_RELATIONS = ("sources",)

    class Meta:
        verbose_name = _("response deadline")
        verbose_name_plural = _("response deadlines")
        ordering = ["country", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "region"], name="response_deadline_one_per_jurisdiction"
            ),
            models.CheckConstraint(
                condition=models.Q(days__gte=1), name="response_deadline_days_positive"
            ),
        ]

    def __str__(self):
        return f"Response deadline: {self.jurisdiction_name}"

    def get_absolute_url(self):
        return record_url("response-deadlines:detail", self.pk)

    @property
    def jurisdiction_name(self):
        if self.region:
            return f"{region_name(self.country, self.region)}, {country_name(self.country)}"
        return country_name(self.country)

    @property
    def period(self):
        """ "5 business days", "20 calendar days"."""
        if self.day_kind == DayKind.BUSINESS:
            text = ngettext("%(count)s business day", "%(count)s business days", self.days)
        else:
            text = ngettext("%(count)s calendar day", "%(count)s calendar days", self.days)
        return text % {"count": self.days}

    def due(self, filed):
        return add_days(filed, self.days, self.day_kind)

    def clean(self):
        self.region = (self.region or "").strip().upper()
        try:
            validate_region(self.country, self.region)
        except ValidationError as exc:
            raise ValidationError({"region": exc.messages}) from exc

    def save(self, *args, **kwargs):
        # The jurisdiction it governed before this save loses (or changes) its deadline too.
        before = (
            ResponseDeadline.objects.filter(pk=self.pk).values_list("country", "region").first()
            if self.pk
            else None
        )
        super().save(*args, **kwargs)
        for country, region in {before, (self.country, self.region)} - {None}:
            recompute_due_dates(country=country, region=region)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        recompute_due_dates(country=self.country, region=self.region)
        return result


class ResponseDeadlineCitation(Citation):
    """A citation of a source by a ResponseDeadline: the `through` of its `sources`."""

    responsedeadline = models.ForeignKey(
        ResponseDeadline,
        on_delete=models.CASCADE,
        related_name="citations",
        help_text=_("The citing record."),
    )

    class Meta:
        # The table Django made for the many-to-many field before it had pinpoints.
        db_table = "records_requests_responsedeadline_sources"
        unique_together = [("responsedeadline", "source")]


def deadline_for(country, region):
    """The published deadline of a place: its region's, or else its country's."""
    deadlines = {
        (deadline.region): deadline
        for deadline in ResponseDeadline.objects.published().filter(
            country=country, region__in={region, ""}
        )
    }
    return deadlines.get(region) or deadlines.get("")


def recompute_due_dates(*, country, region="", agency=None):
    """Store again the due date of the requests a deadline governs: the agencies of
    `country` + `region` (all of the country's when `region` is empty, since a country-wide
    deadline applies where a region has none), or one `agency`'s. One UPDATE per distinct
    (filed date, deadline) would be fewer rows written, but the requests of a jurisdiction
    are few and this runs only when a deadline or an agency's place changes."""
    requests = RecordsRequest.objects.filter(agency__country=country)
    if agency is not None:
        requests = RecordsRequest.objects.filter(agency=agency)
    elif region:
        requests = requests.filter(agency__region=region)
    for request in requests.select_related("agency"):
        due = request.computed_due_date()
        if due != request.due_date:
            RecordsRequest.objects.filter(pk=request.pk).update(due_date=due)


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    PROCESSING = "processing", _("Processing")
    PAYMENT_REQUIRED = "payment-required", _("Payment required")
    APPEALING = "appealing", _("Appealing")
    IN_LITIGATION = "in-litigation", _("In litigation")
    PARTIALLY_FULFILLED = "partially-fulfilled", _("Partially fulfilled")
    FULFILLED = "fulfilled", _("Fulfilled")
    DENIED = "denied", _("Denied")
    NO_RESPONSIVE_DOCUMENTS = "no-responsive-documents", _("No responsive documents")
    ABANDONED = "abandoned", _("Abandoned")


# Waiting on the agency (or on a court or an appeal): the request is still open. The others
# are an answer (or the requester giving up): the request is closed.
OPEN_STATUSES = (
    RequestStatus.SUBMITTED,
    RequestStatus.ACKNOWLEDGED,
    RequestStatus.PROCESSING,
    RequestStatus.PAYMENT_REQUIRED,
    RequestStatus.APPEALING,
    RequestStatus.IN_LITIGATION,
)
CLOSED_STATUSES = tuple(status for status in RequestStatus if status not in OPEN_STATUSES)
# The legal deadline is for the agency's first response (records, a denial, or word that it
# needs longer): only a request the agency has not answered at all can be overdue. After an
# acknowledgement, a payment demand, an appeal or a lawsuit, the wait is no longer the
# statute's response time.
AWAITING_RESPONSE_STATUSES = (RequestStatus.SUBMITTED,)


class RecordsRequestQuerySet(PublishableQuerySet):
    def with_related(self):
        return self.for_timeline().prefetch_related(published_sources("released_documents"))

    def for_timeline(self):
        """What a timeline entry shows (an agency's, a vendor's or a deployment's page): the
        agency, the published sources and the published NDAs cited, in three queries."""
        return self.select_related("agency").prefetch_related(
            published_citations(self.model),
            models.Prefetch("ndas_cited", queryset=_published_ndas()),
        )

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.filter(status__in=CLOSED_STATUSES)

    def overdue(self, today=None):
        """Requests still awaiting the agency's first response whose legal deadline has
        passed: one indexed comparison."""
        return self.filter(overdue_q(today))

    def not_overdue(self, today=None):
        """Requests answered (or closed), and those not yet due or without a computable due
        date."""
        return self.exclude(overdue_q(today))


def days_known_q():
    """The requests whose days open (or to close) can be counted, as days_elapsed() counts
    them: filed on a known day and, once closed, closed on a known day."""
    return models.Q(filed_date__isnull=False, filed_date_precision=DatePrecision.DAY) & (
        models.Q(status__in=OPEN_STATUSES)
        | models.Q(closed_date__isnull=False, closed_date_precision=DatePrecision.DAY)
    )


def nda_binding_refusal(nda, agency):
    """Why a request to `agency` cannot cite `nda`, in words, or None: an agency refuses
    records under an NDA it signed, or one it is the other party to, never another's. The
    form and the importer both ask this."""
    if agency.pk in {nda.agency_id, nda.counterparty_agency_id}:
        return None
    return gettext("NDA #%(number)s (%(nda)s) does not bind %(agency)s.") % {
        "number": nda.pk,
        "nda": nda,
        "agency": agency.name,
    }


def overdue_q(today=None):
    return models.Q(
        status__in=AWAITING_RESPONSE_STATUSES, due_date__lt=today or datetime.date.today()
    )


def _published_ndas():
    from apps.contracts.models import Nda

    return (
        Nda.objects.published()
        .select_related("counterparty_vendor", "counterparty_agency")
        .order_by("pk")
    )


class RecordsRequest(PublishableModel, CitesSources):
    """A public-records (FOIA) request to an agency, and what it got back."""

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="records_requests",
        help_text=_("The agency the request was sent to."),
    )
    requester = models.CharField(
        max_length=200,
        db_index=True,
        help_text=_("Who filed it, as published: an organisation or a person."),
    )
    subject = models.CharField(max_length=500, help_text=_("What records were asked for."))
    filed_date, filed_date_precision = partial_date_fields("filed", "When it was filed.")
    filed = PartialDateAccessor("filed_date")
    closed_date, closed_date_precision = partial_date_fields(
        "closed", "When the agency closed it (answered, refused or gave up)."
    )
    closed = PartialDateAccessor("closed_date")
    status = models.CharField(
        max_length=24,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        db_index=True,
        help_text=_("Where the request stands now."),
    )
    exemptions = models.TextField(
        "exemptions cited",
        blank=True,
        help_text=_(
            "The exemptions the agency cited to withhold or redact records, as it "
            "cited them, e.g. RCW 42.56.270(1)."
        ),
    )
    ndas_cited = models.ManyToManyField(
        "contracts.Nda",
        blank=True,
        related_name="records_requests",
        verbose_name="NDAs cited",
        help_text=_("Non-disclosure agreements the agency cited to withhold records."),
    )
    outcome = models.TextField(
        "outcome summary",
        blank=True,
        help_text=_("What was released, withheld or redacted, in plain words."),
    )
    external_url = models.URLField(
        "external link",
        max_length=1000,
        blank=True,
        help_text=_("The request's own public page elsewhere, e.g. on MuckRock."),
    )
    released_documents = models.ManyToManyField(
        Source,
        blank=True,
        related_name="released_by_requests",
        help_text=_("The cited sources that are documents this request released."),
    )
    due_date = models.DateField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_(
            "Derived: the filed date plus the legal response time of the agency's "
            "jurisdiction; empty when either is unknown (or the filed day is)."
        ),
    )
    sources = sources_field("records_requests", through="RecordsRequestCitation")

    objects = RecordsRequestQuerySet.as_manager()
    history = registry_history(excluded_fields=["due_date"])
    HISTORY_RELATIONS = ("sources", "ndas_cited", "released_documents")
    # Where a request is placed on a timeline (apps/core/timeline.py): its filing.
    TIMELINE_DATE = (("filed_date",), "filed")

    class Meta:
        verbose_name_plural = _("records requests")
        ordering = ["-filed_date", "pk"]
        verbose_name = _("records request")
        constraints = [
            date_order_constraint("records_request", "filed_date", "closed_date"),
        ]
        indexes = [
            models.Index(fields=["visibility", "status", "due_date"], name="request_open_due"),
            models.Index(fields=["visibility", "agency", "filed_date"], name="request_agency"),
        ]

    def __str__(self):
        return f"Records request to {self.agency}: {self.subject}"

    def get_absolute_url(self):
        return record_url("records-requests:detail", self.pk)

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def awaits_response(self):
        """Whether the agency has not answered at all yet (see AWAITING_RESPONSE_STATUSES)."""
        return self.status in AWAITING_RESPONSE_STATUSES

    @property
    def date(self):
        return self.filed

    def _known_to_the_day(self, field):
        return (
            getattr(self, field) is not None
            and getattr(self, f"{field}_precision") == DatePrecision.DAY
        )

    def days_elapsed(self, today=None):
        """Days open (to `today`) for an open request, days to close for a closed one; None
        when a date it needs is unknown or known only to the month or year."""
        if not self._known_to_the_day("filed_date"):
            return None
        if self.is_open:
            end = today or datetime.date.today()
        elif self._known_to_the_day("closed_date"):
            end = self.closed_date
        else:
            return None
        return (end - self.filed_date).days

    def days_overdue(self, today=None):
        """Days past the legal deadline for a request awaiting its first response; None when
        not computable or answered, 0 when not overdue."""
        if not self.awaits_response or self.due_date is None:
            return None
        return max(0, ((today or datetime.date.today()) - self.due_date).days)

    def computed_due_date(self):
        if not self._known_to_the_day("filed_date"):
            return None
        deadline = deadline_for(self.agency.country, self.agency.region)
        return deadline.due(self.filed_date) if deadline else None

    def clean(self):
        errors = {}
        for field in ("filed_date", "closed_date"):
            check_partial_date(self, field, errors)
            # Filing and closing are what happened: a date after today is a typo, and would
            # count in the transparency figures as an answer not yet given.
            check_not_in_future(self, field, errors, gettext("This date is after today."))
        check_date_order(
            self,
            "filed_date",
            "closed_date",
            errors,
            gettext("The request cannot be closed before it was filed."),
        )
        if self.closed_date and self.is_open:
            errors.setdefault("closed_date", []).append(
                gettext(
                    "A request that is %(status)s is still open: give a closed date only with "
                    "a final status (fulfilled, denied...)."
                )
                % {"status": self.get_status_display().lower()}
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.due_date = self.computed_due_date() if self.agency_id else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "due_date"}
        super().save(*args, **kwargs)


class RecordsRequestCitation(Citation):
    """A citation of a source by a RecordsRequest: the `through` of its `sources`."""

    recordsrequest = models.ForeignKey(
        RecordsRequest,
        on_delete=models.CASCADE,
        related_name="citations",
        help_text=_("The citing record."),
    )

    class Meta:
        # The table Django made for the many-to-many field before it had pinpoints.
        db_table = "records_requests_recordsrequest_sources"
        unique_together = [("recordsrequest", "source")]
