"""Oversight events: the public process (or its absence) around deployments and contracts.

An event is one step of that process — a proposal, a hearing, a vote, a use policy, an audit,
a lawsuit — held by an agency or governing body (a city council is an agency of the registry,
kind "city government"), on a date known to the year, month or day. It concerns any number of
deployments and contracts, of any agency: a county board votes on its sheriff's contract, a
state ban reaches every city's deployments. Nothing checks or warns about whose they are.

"No public process found" is a kind of event too: a researcher's citable finding that the
documents show no public process for the deployments and contracts it names, dated when the
research was done. It is distinct from a deployment with no events at all, which the pages call
"not yet researched".
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Case, F, TextField, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.export_sql import choice_label, concat, partial_date_display
from apps.core.history import registry_history
from apps.core.models import PublishableModel, PublishableQuerySet, YesNoUnknown, tri_state_field
from apps.core.partial_dates import (
    PartialDateAccessor,
    check_not_in_future,
    check_partial_date,
    partial_date_fields,
)
from apps.core.record_urls import record_url
from apps.sources.models import Citation, CitesSources, published_citations, sources_field


class EventKind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal")
    HEARING = "public-hearing", _("Public hearing")
    COMMENT_PERIOD = "public-comment-period", _("Public comment period")
    VOTE = "vote", _("Council / board vote")
    CONSENT_AGENDA = "consent-agenda", _("Consent-agenda approval")
    ADMINISTRATIVE = "administrative-approval", _("Administrative approval (no public vote)")
    USE_POLICY = "use-policy-adopted", _("Use policy adopted")
    IMPACT_REPORT = "impact-report", _("Impact report")
    ANNUAL_REPORT = "annual-report", _("Annual report")
    AUDIT = "audit", _("Audit")
    MORATORIUM = "moratorium", _("Moratorium")
    BAN = "ban", _("Ban")
    LAWSUIT = "lawsuit", _("Lawsuit")
    NO_PUBLIC_PROCESS = "no-public-process-found", _("No public process found")


# Kinds decided by a counted vote of a body: only these carry a tally. A consent agenda is
# adopted by one vote of the council on all its items, so its tally is that vote's.
VOTE_KINDS = frozenset({EventKind.VOTE.value, EventKind.CONSENT_AGENDA.value})
TALLY_FIELDS = ("yes_votes", "no_votes", "abstentions", "absent")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ADOPTED = "adopted", _("Adopted")
    PENDING = "pending", _("Pending")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SETTLED = "settled", _("Settled")
    UNKNOWN = "unknown", _("Other / unknown")


class OversightEventQuerySet(PublishableQuerySet):
    def with_related(self):
        """What a list row and a timeline item show: the agency and the published sources."""
        return self.select_related("agency").prefetch_related(published_citations(self.model))


def concerning(deployments, contracts):
    """The filter of the events about any of `deployments` or `contracts` (querysets), as
    subqueries: an agency's or a vendor's timeline reads it in one query."""
    through = (OversightEvent.deployments.through, OversightEvent.contracts.through)
    return models.Q(
        pk__in=through[0].objects.filter(deployment__in=deployments).values("oversightevent")
    ) | models.Q(pk__in=through[1].objects.filter(contract__in=contracts).values("oversightevent"))


def _tally_field(verbose_name, help_text):
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=True,
        blank=True,
        # The column's range, checked on every database (SQLite does not check it).
        validators=[MaxValueValidator(32767)],
        help_text=help_text,
    )


class OversightEvent(PublishableModel, CitesSources):
    """One step of the public process around deployments and contracts, or the finding that
    there was none."""

    kind = models.CharField(
        max_length=30,
        choices=EventKind.choices,
        db_index=True,
        help_text=_(
            "What happened. “No public process found” records a researcher's finding "
            "that the documents show no public process for what it concerns."
        ),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="oversight_events",
        help_text=_(
            "The agency or governing body that held it (a city council, a county "
            "board, the agency itself), or whose process the finding is about."
        ),
    )
    occurred_date, occurred_date_precision = partial_date_fields(
        "date",
        "When it happened; for “no public process found”, when the research was done.",
    )
    occurred = PartialDateAccessor("occurred_date")
    summary = models.TextField(
        blank=True,
        help_text=_("What it was about, in plain words; for a finding, what was searched."),
    )
    outcome = models.CharField(
        max_length=10,
        choices=Outcome.choices,
        default=Outcome.UNKNOWN,
        db_index=True,
        help_text=_("How it ended, as far as the sources say."),
    )
    outcome_summary = models.TextField(
        blank=True, help_text=_("The outcome in words: what was decided, conditions, next steps.")
    )
    yes_votes = _tally_field(
        _("votes for"), _("How many members voted for. Only for votes; empty when not known.")
    )
    no_votes = _tally_field(
        _("votes against"),
        _("How many members voted against. Only for votes; empty when not known."),
    )
    abstentions = _tally_field(
        _("abstentions"), _("How many members abstained. Only for votes; empty when not known.")
    )
    absent = _tally_field(
        _("absent"), _("How many members were absent. Only for votes; empty when not known.")
    )
    public_comment = tri_state_field(
        _("public could comment"),
        _(
            "Whether members of the public could speak or send comments. Left unknown for a "
            "“no public process found” finding."
        ),
    )
    deployments = models.ManyToManyField(
        "deployments.Deployment",
        blank=True,
        related_name="oversight_events",
        help_text=_("The deployments it concerns, of any agency."),
    )
    contracts = models.ManyToManyField(
        "contracts.Contract",
        blank=True,
        related_name="oversight_events",
        help_text=_("The contracts it concerns, of any agency."),
    )
    sources = sources_field("oversight_events", through="OversightEventCitation")

    objects = OversightEventQuerySet.as_manager()
    history = registry_history()
    HISTORY_RELATIONS = ("sources", "deployments", "contracts")
    # Where an event is placed on a timeline (apps/core/timeline.py).
    TIMELINE_DATE = (("occurred_date",), "date")

    class Meta:
        verbose_name_plural = _("oversight events")
        ordering = ["-occurred_date", "pk"]
        verbose_name = _("oversight event")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=sorted(VOTE_KINDS))
                | models.Q(**{f"{name}__isnull": True for name in TALLY_FIELDS}),
                name="oversight_tally_only_for_votes",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=EventKind.NO_PUBLIC_PROCESS)
                | models.Q(public_comment=YesNoUnknown.UNKNOWN, occurred_date__isnull=False),
                name="oversight_finding_dated_without_comment",
            ),
        ]
        indexes = [
            models.Index(
                fields=["visibility", "agency", "occurred_date"], name="oversight_agency_date"
            ),
        ]

    @classmethod
    def str_sql(cls, path=""):
        """__str__ as an SQL expression over the field path to the event ("" for the event
        itself), for the API's links written by PostgreSQL (apps/api/records.py)."""
        agency = cls._meta.get_field("agency").related_model
        occurred = Case(
            When(
                **{f"{path}occurred_date__isnull": False},
                then=concat(Value(", "), partial_date_display(f"{path}occurred")),
            ),
            default=Value(""),
            output_field=TextField(),
        )
        kind = choice_label(f"{path}kind", EventKind)
        return concat(kind, Value(": "), F(f"{path}agency__{agency.STR_FIELD}"), occurred)

    def __str__(self):
        return f"{self.get_kind_display()}: {self.agency}" + (
            f", {self.occurred}" if self.occurred else ""
        )

    def get_absolute_url(self):
        return record_url("oversight:detail", self.pk)

    @property
    def date(self):
        """The event's date for timelines."""
        return self.occurred

    @property
    def is_finding(self):
        return self.kind == EventKind.NO_PUBLIC_PROCESS

    @property
    def is_vote(self):
        return self.kind in VOTE_KINDS

    @property
    def tally(self):
        """{label: count} of the counts that are known, for display; empty when none is."""
        return {
            self._meta.get_field(name).verbose_name: getattr(self, name)
            for name in TALLY_FIELDS
            if getattr(self, name) is not None
        }

    @property
    def tally_words(self):
        """The known counts in words, in the order of TALLY_FIELDS: ["7 for", "2 against"]."""
        words = {
            "yes_votes": gettext("%(count)s for"),
            "no_votes": gettext("%(count)s against"),
            "abstentions": gettext("%(count)s abstentions"),
            "absent": gettext("%(count)s absent"),
        }
        return [
            words[name] % {"count": getattr(self, name)}
            for name in TALLY_FIELDS
            if getattr(self, name) is not None
        ]

    def clean(self):
        errors = {}
        check_partial_date(self, "occurred_date", errors)
        given_tally = [name for name in TALLY_FIELDS if getattr(self, name) is not None]
        if given_tally and not self.is_vote:
            for name in given_tally:
                errors.setdefault(name, []).append(
                    gettext(
                        "Only a council / board vote or a consent-agenda approval has a vote tally."
                    )
                )
        if (
            self.outcome == Outcome.APPROVED
            and self.yes_votes is not None
            and self.no_votes is not None
            and self.yes_votes <= self.no_votes
        ):
            errors.setdefault("outcome", []).append(
                gettext(
                    "Approved with %(yes)s for and %(no)s against? Check the tally or the outcome."
                )
                % {"yes": self.yes_votes, "no": self.no_votes}
            )
        if self.is_finding:
            check_not_in_future(
                self,
                "occurred_date",
                errors,
                gettext("A finding is dated when the research was done: this date is after today."),
            )
            if self.occurred_date is None:
                errors.setdefault("occurred_date", []).append(
                    gettext("Give the date of the research that found no public process.")
                )
            if self.public_comment != YesNoUnknown.UNKNOWN:
                errors.setdefault("public_comment", []).append(
                    gettext(
                        "A finding of no public process says nothing of public comment: leave "
                        "it unknown."
                    )
                )
        if errors:
            raise ValidationError(errors)


class OversightEventCitation(Citation):
    """A citation of a source by an OversightEvent: the `through` of its `sources`."""

    oversightevent = models.ForeignKey(
        OversightEvent,
        on_delete=models.CASCADE,
        related_name="citations",
        help_text=_("The citing record."),
    )

    class Meta:
        # The table Django made for the many-to-many field before it had pinpoints.
        db_table = "oversight_oversightevent_sources"
        unique_together = [("oversightevent", "source")]
