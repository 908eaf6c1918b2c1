from decimal import Decimal
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.history import registry_history
from apps.core.models import (
    PublishableModel,
    PublishableQuerySet,
    YesNoUnknown,
    listed_order_index,
    tri_state_field,
    unknown_date_last,
    validate_currency,
)
from apps.core.partial_dates import (
    PartialDateAccessor,
    check_date_order,
    check_partial_date,
    date_order_constraint,
    partial_date_fields,
)
from apps.core.record_urls import record_url
from apps.sources.models import Citation, CitesSources, published_citations, sources_field


class ProcurementMethod(models.TextChoices):
    COMPETITIVE_BID = "competitive-bid", _("Competitive bid")
    SOLE_SOURCE = "sole-source", _("Sole source")
    COOPERATIVE = "cooperative-purchase", _("Cooperative purchase")
    FREE_TRIAL = "free-trial", _("Free trial / no cost")
    DONATION = "donation", _("Donation")
    GRANT_FUNDED = "grant-funded", _("Grant funded")
    UNKNOWN = "unknown", _("Unknown")


class ContractQuerySet(PublishableQuerySet):
    def with_related(self):
        return self.select_related("agency", "vendor").prefetch_related(
            published_citations(self.model), "products"
        )

    def in_year(self, year):
        """Signed in `year`, or (when the signing date is unknown) starting in it."""
        return self.filter(
            models.Q(signed_date__year=year)
            | models.Q(signed_date__isnull=True, start_date__year=year)
        )


# Contracts with an amount before those without, in either direction of an amount sort.
AMOUNT_UNKNOWN_LAST = models.ExpressionWrapper(
    models.Q(amount__isnull=True), output_field=models.BooleanField()
).asc()
# The amount as the amount sorts read it: never NULL (those rows are last already), so that
# their index's order is the query's whichever way it runs (SQLite's indexes cannot say
# NULLS LAST, and PostgreSQL reads a DESC index as NULLS FIRST).
SORTED_AMOUNT = Coalesce(models.F("amount"), models.Value(Decimal(0)))


class Contract(PublishableModel, CitesSources):
    """A purchase, subscription, trial or donation between an agency and a vendor."""

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="contracts",
        help_text=_("The buyer."),
    )
    vendor = models.ForeignKey(
        "vendors.Vendor",
        on_delete=models.PROTECT,
        related_name="contracts",
        help_text=_("The supplier."),
    )
    products = models.ManyToManyField(
        "vendors.Product", blank=True, related_name="contracts", help_text=_("Products it covers.")
    )
    deployments = models.ManyToManyField(
        "deployments.Deployment",
        blank=True,
        related_name="contracts",
        help_text=_("Deployments it pays for."),
    )
    title = models.CharField(max_length=300, help_text=_("What the contract is called or is for."))
    identifier = models.CharField(
        max_length=100, blank=True, db_index=True, help_text=_("Contract, PO or agreement number.")
    )
    procurement_method = models.CharField(
        max_length=20,
        choices=ProcurementMethod.choices,
        default=ProcurementMethod.UNKNOWN,
        db_index=True,
        help_text=_("How the vendor was chosen or the technology obtained."),
    )
    amount = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        db_index=True,
        validators=[MinValueValidator(0)],
        help_text=_("The total value, when known. Zero for free trials and donations."),
    )
    currency = models.CharField(
        max_length=3,
        default="USD",
        db_index=True,  # the contracts list filters on it (what a chart's currency bar lists)
        validators=[validate_currency],
        help_text=_("ISO 4217 currency code of the amount."),
    )
    signed_date, signed_date_precision = partial_date_fields("signed", "When it was signed.")
    signed = PartialDateAccessor("signed_date")
    start_date, start_date_precision = partial_date_fields("start", "When it took effect.")
    start = PartialDateAccessor("start_date")
    end_date, end_date_precision = partial_date_fields("end", "When it ends or ended.")
    end = PartialDateAccessor("end_date")
    funding_source = models.CharField(
        max_length=300, blank=True, help_text=_("Where the money came from, e.g. a federal grant.")
    )
    summary = models.TextField(blank=True, help_text=_("Terms worth knowing, in plain words."))
    sources = sources_field("contracts", through="ContractCitation")

    objects = ContractQuerySet.as_manager()
    history = registry_history()
    HISTORY_RELATIONS = ("sources", "products", "deployments")
    # Where a contract is placed on a timeline (apps/core/timeline.py): signed, else started.
    TIMELINE_DATE = (("signed_date", "start_date"), "date")

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_date", "title"]
        constraints = [
            date_order_constraint("contract", "start_date", "end_date"),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="contract_amount_not_negative",
            ),
        ]
        indexes = [
            models.Index(
                fields=["visibility", "vendor", "signed_date"], name="contract_vendor_signed"
            ),
            models.Index(
                fields=["visibility", "agency", "signed_date"], name="contract_agency_signed"
            ),
            # The list's date sorts (ContractFilter.sort_options), read a page at a time.
            listed_order_index(
                "contract_list_newest",
                unknown_date_last("signed_date", True).desc(),
                unknown_date_last("start_date", True).desc(),
            ),
            listed_order_index(
                "contract_list_oldest",
                unknown_date_last("signed_date", False).asc(),
                unknown_date_last("start_date", False).asc(),
            ),
            # By amount within each currency, undisclosed amounts last (ContractFilter).
            listed_order_index(
                "contract_list_largest",
                AMOUNT_UNKNOWN_LAST,
                "currency",
                SORTED_AMOUNT.desc(),
            ),
            listed_order_index(
                "contract_list_smallest",
                AMOUNT_UNKNOWN_LAST,
                "currency",
                SORTED_AMOUNT.asc(),
            ),
        ]

    # What __str__ returns, for the API's links written by PostgreSQL (apps/api/records.py).
    STR_FIELD = "title"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return record_url("contracts:detail", self.pk)

    @property
    def date(self):
        """The contract's date for timelines: signed, or else started."""
        return self.signed or self.start

    def clean(self):
        errors = {}
        for field in ("signed_date", "start_date", "end_date"):
            check_partial_date(self, field, errors)
        check_date_order(self, "start_date", "end_date", errors)
        if errors:
            raise ValidationError(errors)


class ContractCitation(Citation):
    """A citation of a source by a Contract: the `through` of its `sources`."""

    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="citations",
        help_text=_("The citing record."),
    )

    class Meta:
        # The table Django made for the many-to-many field before it had pinpoints.
        db_table = "contracts_contract_sources"
        unique_together = [("contract", "source")]


class NdaQuerySet(PublishableQuerySet):
    def with_related(self):
        return self.select_related(
            "agency", "counterparty_vendor", "counterparty_agency"
        ).prefetch_related(published_citations(self.model))

    def covering_each(self, deployment_ids):
        """(deployment id, NDA id) for each NDA covering one of `deployment_ids`, by the same
        rule as covering(), in one query: for the exports, a chunk of rows at a time."""
        from apps.deployments.models import NDA_COVERING_VENDOR_PATHS

        return self.filter(
            reduce(
                or_,
                (
                    models.Q(counterparty_vendor=models.F(f"agency__deployments__{path}"))
                    for path in NDA_COVERING_VENDOR_PATHS
                ),
            ),
            agency__deployments__in=deployment_ids,
        ).values_list("agency__deployments", "pk")

    def covering(self, deployment):
        """The NDAs that bind `deployment`: signed by its agency with its vendor or a company
        above it (NDA_COVERING_VENDOR_PATHS: an NDA with Amazon binds what Amazon Web
        Services sells). `deployment` is a Deployment, or OuterRef("pk") for the deployment
        of an enclosing query (the list's marker), so both read the one rule."""
        from apps.deployments.models import NDA_COVERING_VENDOR_PATHS, Deployment

        if isinstance(deployment, models.OuterRef):

            def value_at(path):
                return models.OuterRef(path)
        else:
            # No order: the default one would join the agency and sort one row.
            this = Deployment._base_manager.filter(pk=deployment.pk).order_by()

            def value_at(path):
                return models.Subquery(this.values(path)[:1])

        return self.filter(agency=value_at("agency")).filter(
            reduce(
                or_,
                (
                    models.Q(counterparty_vendor=value_at(path))
                    for path in NDA_COVERING_VENDOR_PATHS
                ),
            )
        )


def nda_withheld_condition(answer):
    """The NDAs whose answer to "was it cited to withhold records?" is `answer` (yes, no,
    unknown), by its own record or by a published records request citing it: yes when
    either says so, unknown when its record does not say and no request cites it, no
    otherwise. The NDA list's `withheld_records` filter and the agencies' transparency
    record both count with it."""
    from apps.records_requests.models import RecordsRequest

    cited = models.Q(
        models.Exists(RecordsRequest.objects.published().filter(ndas_cited=models.OuterRef("pk")))
    )
    if answer == YesNoUnknown.YES:
        return models.Q(cited_to_withhold=YesNoUnknown.YES) | cited
    return models.Q(cited_to_withhold=answer) & ~cited


class Nda(PublishableModel, CitesSources):
    """A non-disclosure agreement an agency signed with a vendor or with another agency."""

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="ndas",
        help_text=_("The agency bound by the agreement."),
    )
    counterparty_vendor = models.ForeignKey(
        "vendors.Vendor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ndas",
        help_text=_("The vendor on the other side (or give an agency instead)."),
    )
    counterparty_agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ndas_as_counterparty",
        help_text=_("The agency on the other side, e.g. a federal agency (or give a vendor)."),
    )
    signed_date, signed_date_precision = partial_date_fields("signed", "When it was signed.")
    signed = PartialDateAccessor("signed_date")
    signatory = models.CharField(
        max_length=200, blank=True, help_text=_("Who signed for the agency: an office or a title.")
    )
    scope = models.TextField(blank=True, help_text=_("What it keeps secret, in plain words."))
    term = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("How long it binds, e.g. 'indefinite' or '5 years'."),
    )
    cited_to_withhold = tri_state_field(
        _("cited to withhold records"),
        _("Whether the agency cited it to refuse or redact a public-records request."),
    )
    sources = sources_field("ndas", through="NdaCitation")

    objects = NdaQuerySet.as_manager()
    history = registry_history()
    HISTORY_RELATIONS = ("sources",)
    # Where an NDA is placed on a timeline (apps/core/timeline.py).
    TIMELINE_DATE = (("signed_date",), "signed")

    class Meta:
        ordering = ["-signed_date", "agency__name"]
        verbose_name = _("NDA")
        verbose_name_plural = _("NDAs")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(counterparty_vendor__isnull=False, counterparty_agency__isnull=True)
                    | models.Q(counterparty_vendor__isnull=True, counterparty_agency__isnull=False)
                ),
                name="nda_exactly_one_counterparty",
            ),
            models.CheckConstraint(
                condition=~models.Q(counterparty_agency=models.F("agency")),
                name="nda_counterparty_not_self",
            ),
        ]

    def __str__(self):
        return f"NDA: {self.agency} with {self.counterparty}"

    def get_absolute_url(self):
        return record_url("ndas:detail", self.pk)

    @property
    def counterparty(self):
        return self.counterparty_vendor or self.counterparty_agency

    def clean(self):
        errors = {}
        if bool(self.counterparty_vendor_id) == bool(self.counterparty_agency_id):
            errors["counterparty_vendor"] = [
                gettext("Give exactly one counterparty: a vendor or another agency.")
            ]
        elif self.counterparty_agency_id and self.counterparty_agency_id == self.agency_id:
            errors["counterparty_agency"] = [gettext("An agency cannot sign an NDA with itself.")]
        check_partial_date(self, "signed_date", errors)
        if errors:
            raise ValidationError(errors)


class NdaCitation(Citation):
    """A citation of a source by a Nda: the `through` of its `sources`."""

    nda = models.ForeignKey(
        Nda, on_delete=models.CASCADE, related_name="citations", help_text=_("The citing record.")
    )

    class Meta:
        # The table Django made for the many-to-many field before it had pinpoints.
        db_table = "contracts_nda_sources"
        unique_together = [("nda", "source")]
