from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.history import registry_history
from apps.core.models import (
    PublishableModel,
    PublishableQuerySet,
    listed_order_index,
    tri_state_field,
    unknown_date_last,
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


class DeploymentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PILOT = "pilot", _("Pilot / trial")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    DISCONTINUED = "discontinued", _("Discontinued")
    BANNED = "banned", _("Banned")


# Statuses that describe how a deployment ended: they hold from its end date, not its start.
# The one rule for "an NDA covers a deployment", shared by the list's NDA marker and the
# exports' `nda_ids`: it binds the deployment's agency, and its counterparty is the
# deployment's vendor or a company above it, up to two levels (an agreement with a parent
# company keeps its subsidiaries' products secret too). An NDA with a subsidiary does not
# cover a deployment recorded under its parent.
NDA_COVERING_VENDOR_PATHS = ("vendor", "vendor__parent", "vendor__parent__parent")

ENDED_STATUSES = frozenset(
    {
        DeploymentStatus.SUSPENDED.value,
        DeploymentStatus.DISCONTINUED.value,
        DeploymentStatus.BANNED.value,
    }
)


class DeploymentQuerySet(PublishableQuerySet):
    def with_related(self):
        """What a list row or a profile timeline shows, in a fixed number of queries."""
        return self.select_related("agency", "technology", "vendor", "product").prefetch_related(
            published_citations(self.model)
        )

    def active_in_year(self, year):
        """In use at some time during `year`: started by the year's end and not ended before
        it began. Deployments with an unknown start are left out: nobody can say."""
        return self.filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__year__gte=year),
            start_date__year__lte=year,
        )


class Deployment(PublishableModel, CitesSources):
    """One agency's use of one surveillance technology: the registry's core data point."""

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="deployments",
        help_text=_("The agency that uses (or proposed, or banned) the technology."),
    )
    technology = models.ForeignKey(
        "technologies.Technology",
        on_delete=models.PROTECT,
        related_name="deployments",
        help_text=_("What kind of surveillance technology."),
    )
    product = models.ForeignKey(
        "vendors.Product",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deployments",
        help_text=_("The product, when known. Setting it sets the vendor."),
    )
    vendor = models.ForeignKey(
        "vendors.Vendor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deployments",
        help_text=_("The vendor, when known; it must be the product's vendor."),
    )
    status = models.CharField(
        max_length=12,
        choices=DeploymentStatus.choices,
        default=DeploymentStatus.ACTIVE,
        db_index=True,
        help_text=_("Where the deployment stands, as of the last verification."),
    )
    start_date, start_date_precision = partial_date_fields(
        "start", "When the agency began using it (or proposed it)."
    )
    start = PartialDateAccessor("start_date")
    end_date, end_date_precision = partial_date_fields(
        "end", "When the agency stopped using it, if it has."
    )
    end = PartialDateAccessor("end_date")
    summary = models.TextField(blank=True, help_text=_("What is known, in a few sentences."))
    public_input = tri_state_field(
        _("public input before acquisition"),
        _("Whether the public could comment before the technology was acquired."),
    )
    use_policy = tri_state_field(
        _("written use policy"),
        _("Whether the agency has a written policy governing its use."),
    )
    use_policy_source = models.ForeignKey(
        "sources.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="use_policy_of",
        help_text=_("The policy document itself, or the source saying there is none."),
    )
    data_sharing = tri_state_field(
        _("data shared with other agencies"),
        _("Whether data collected is shared with other agencies."),
    )
    last_verified = models.DateField(
        null=True, blank=True, help_text=_("When someone last checked this against its sources.")
    )
    sources = sources_field("deployments", through="DeploymentCitation")

    objects = DeploymentQuerySet.as_manager()
    history = registry_history()
    HISTORY_RELATIONS = ("sources",)
    # Where a deployment is placed on a timeline (apps/core/timeline.py): its start.
    TIMELINE_DATE = (("start_date",), "start")

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["-start_date", "agency__name"]
        constraints = [date_order_constraint("deployment", "start_date", "end_date")]
        indexes = [
            models.Index(
                fields=["visibility", "technology", "status"], name="deployment_tech_status"
            ),
            models.Index(
                fields=["visibility", "agency", "start_date"], name="deployment_agency_start"
            ),
            # A region (its agencies) and a technology: the list's count reads only the
            # matching rows, not every deployment of each agency of the region (a million
            # deployments, Vermont and video analytics: 48 ms to 6 ms).
            models.Index(
                fields=["visibility", "agency", "technology"], name="deployment_agency_technology"
            ),
            # The list's sorts (DeploymentFilter.sort_options), read a page at a time.
            listed_order_index(
                "deployment_list_newest", unknown_date_last("start_date", True).desc()
            ),
            listed_order_index(
                "deployment_list_oldest", unknown_date_last("start_date", False).asc()
            ),
            listed_order_index("deployment_list_updated", models.F("updated_at").desc()),
            listed_order_index(
                "deployment_list_status", "status", unknown_date_last("start_date", True).desc()
            ),
            # The most common filter, technology, in the default order: a page reads only
            # that technology's rows (Vermont's video analytics: 25 ms to 8 ms).
            listed_order_index(
                "deployment_technology_newest",
                "technology",
                unknown_date_last("start_date", True).desc(),
            ),
        ]

    def __str__(self):
        parts = [str(self.agency), str(self.technology)]
        if self.product_id:
            parts.append(str(self.product))
        elif self.vendor_id:
            parts.append(str(self.vendor))
        return " — ".join(parts)

    def get_absolute_url(self):
        return record_url("deployments:detail", self.pk)

    @property
    def status_since(self):
        """The date the status holds from, for "Discontinued since April 2024": the end for
        a suspended, discontinued or banned deployment (None while that is unknown, rather
        than the start, which would date the ending wrongly), the start otherwise (when it
        was proposed, trialled or put to use)."""
        return self.end if self.status in ENDED_STATUSES else self.start

    def clean(self):
        errors = {}
        if self.product_id:
            if self.vendor_id is None:
                self.vendor_id = self.product.vendor_id
            elif self.vendor_id != self.product.vendor_id:
                errors["vendor"] = [
                    gettext("%(product)s is sold by %(seller)s, not by %(vendor)s.")
                    % {
                        "product": self.product,
                        "seller": self.product.vendor,
                        "vendor": self.vendor,
                    }
                ]
        for field in ("start_date", "end_date"):
            check_partial_date(self, field, errors)
        check_date_order(self, "start_date", "end_date", errors)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The vendor always follows the product; clean() reports a conflicting choice.
        if self.product_id and self.vendor_id is None:
            self.vendor_id = self.product.vendor_id
        super().save(*args, **kwargs)


class DeploymentCitation(Citation):
    """A citation of a source by a Deployment: the `through` of its `sources`."""

    deployment = models.ForeignKey(
        Deployment,
        on_delete=models.CASCADE,
        related_name="citations",
        help_text=_("The citing record."),
    )

    class Meta:
        # The table Django made for the many-to-many field before it had pinpoints.
        db_table = "deployments_deployment_sources"
        unique_together = [("deployment", "source")]
