from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.history import registry_history
from apps.core.models import (
    AliasModel,
    MergeableModel,
    PublishableModel,
    alias_of,
    country_field,
    country_name,
)
from apps.core.record_urls import record_url
from apps.core.slugs import unique_slug
from apps.sources.models import Citation, CitesSources, sources_field


class Vendor(MergeableModel, CitesSources):
    """A company that sells or gives surveillance technology to agencies."""

    name = models.CharField(max_length=200, db_index=True, help_text=_("The company's name."))
    slug = models.SlugField(max_length=120, unique=True, help_text=_("The name in URLs."))
    website = models.URLField(max_length=500, blank=True, help_text=_("The company's website."))
    country = country_field(
        blank=True, default="", help_text=_("Where the company is headquartered, e.g. US.")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subsidiaries",
        help_text=_("The parent company, when this vendor is a subsidiary."),
    )
    description = models.TextField(
        blank=True, help_text=_("What the company sells, and roadmap notes from its documents.")
    )
    sources = sources_field("vendors", through="VendorCitation")

    history = registry_history()
    HISTORY_RELATIONS = ("sources", "aliases")

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["name"]
        constraints = [
            *MergeableModel.Meta.constraints,
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="vendor_not_own_parent"
            ),
        ]

    # What __str__ returns, for the API's links written by PostgreSQL (apps/api/records.py).
    STR_FIELD = "name"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url("vendors:detail", self.slug)

    @property
    def country_name(self):
        return country_name(self.country)

    def family_ids(self):
        """This vendor's id and those of every company below it, subsidiaries of
        subsidiaries included: filtering by a parent company covers what its subsidiaries
        sold (vendor=amazon finds Amazon Web Services' contracts)."""
        ids, frontier = {self.pk}, [self.pk]
        while frontier:
            frontier = list(
                Vendor.objects.filter(parent__in=frontier)
                .exclude(pk__in=ids)
                .values_list("pk", flat=True)
            )
            ids.update(frontier)
        return ids

    def clean(self):
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": gettext("A company cannot be its own parent.")})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Vendor, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)


class VendorCitation(Citation):
    """A citation of a source by a Vendor: the `through` of its `sources`."""

    vendor = models.ForeignKey(
        Vendor,
        on_delete=models.CASCADE,
        related_name="citations",
        help_text=_("The citing record."),
    )

    class Meta:
        # The table Django made for the many-to-many field before it had pinpoints.
        db_table = "vendors_vendor_sources"
        unique_together = [("vendor", "source")]


class VendorAlias(AliasModel):
    vendor = alias_of(Vendor, help_text=_("The vendor."))

    class Meta(AliasModel.Meta):
        verbose_name_plural = _("vendor aliases")
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name"], name="vendor_alias_unique")
        ]


class Product(PublishableModel, CitesSources):
    """A named product a vendor sells, e.g. a face recognition service."""

    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="products", help_text=_("Who sells it.")
    )
    name = models.CharField(max_length=200, db_index=True, help_text=_("The product's name."))
    slug = models.SlugField(
        max_length=120, unique=True, help_text=_("The vendor's and product's names in URLs.")
    )
    technologies = models.ManyToManyField(
        "technologies.Technology",
        blank=True,
        related_name="products",
        help_text=_("What kinds of surveillance the product does."),
    )
    description = models.TextField(blank=True, help_text=_("What the product does."))
    website = models.URLField(max_length=500, blank=True, help_text=_("The product's web page."))
    sources = sources_field("products", through="ProductCitation")

    history = registry_history()
    HISTORY_RELATIONS = ("sources", "technologies")

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["vendor__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "name"], name="product_name_unique_per_vendor"
            )
        ]

    # What __str__ returns, for the API's links written by PostgreSQL (apps/api/records.py).
    STR_FIELD = "name"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url("products:detail", self.slug)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Product, self.vendor.name, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)


class ProductCitation(Citation):
    """A citation of a source by a Product: the `through` of its `sources`."""

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="citations",
        help_text=_("The citing record."),
    )

    class Meta:
        # The table Django made for the many-to-many field before it had pinpoints.
        db_table = "vendors_product_sources"
        unique_together = [("product", "source")]
