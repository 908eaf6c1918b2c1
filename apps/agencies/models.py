from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from apps.core.history import registry_history
from apps.core.models import (
    AliasModel,
    MergeableModel,
    MergeableQuerySet,
    Visibility,
    alias_of,
    country_field,
    country_name,
    listed_order_index,
    region_name,
    validate_region,
)
from apps.core.places import region_by_code
from apps.core.record_urls import record_url
from apps.core.slugs import unique_slug
from apps.sources.models import Citation, CitesSources, sources_field


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police department")
    SHERIFF = "sheriff", _("Sheriff's office")
    STATE_POLICE = "state-police", _("State police / highway patrol")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    CORRECTIONS = "corrections", _("Corrections")
    COURT = "court", _("Court")
    FUSION_CENTER = "fusion-center", _("Fusion center")
    FEDERAL = "federal", _("Federal agency")
    CAMPUS_POLICE = "campus-police", _("School or university police")
    TRANSIT_POLICE = "transit-police", _("Transit police")
    PARKS = "parks", _("Parks")
    CITY = "city", _("City government")
    COUNTY = "county", _("County government")
    SCHOOL_DISTRICT = "school-district", _("School district")
    OTHER = "other", _("Other")


class JurisdictionLevel(models.TextChoices):
    MUNICIPAL = "municipal", pgettext_lazy("jurisdiction level", "Municipal")
    COUNTY = "county", pgettext_lazy("jurisdiction level", "County")
    STATE = "state", pgettext_lazy("jurisdiction level", "State")
    FEDERAL = "federal", pgettext_lazy("jurisdiction level", "Federal")
    TRIBAL = "tribal", pgettext_lazy("jurisdiction level", "Tribal")
    REGIONAL = "regional", pgettext_lazy("jurisdiction level", "Regional")
    SPECIAL_DISTRICT = "special-district", pgettext_lazy("jurisdiction level", "Special district")
    UNIVERSITY = "university", pgettext_lazy("jurisdiction level", "University")
    SCHOOL_DISTRICT = "school-district", pgettext_lazy("jurisdiction level", "School district")


ori_validator = RegexValidator(
    r"^[A-Z]{2}[A-Z0-9]{7}$",
    _("An ORI is 9 characters: the two-letter state code and 7 letters or digits, e.g. OR0340000."),
)
ocd_division_validator = RegexValidator(
    r"^ocd-division/country:[a-z]{2}(/[a-z_]+:[a-z0-9_.~\-]+)*$",
    _(
        "An Open Civic Data division id looks like "
        "ocd-division/country:us/state:or/county:washington."
    ),
)


class AgencyQuerySet(MergeableQuerySet):
    def matching_name(self, name, region=""):
        """Agencies called `name` (or with it as an alias), in `region` when given: many
        places have a police department of the same name."""
        matches = super().matching_name(name)
        if region:
            matches = matches.filter(region__iexact=region.strip())
        return matches


class Agency(MergeableModel, CitesSources):
    """A public body that uses, buys, approves or oversees surveillance technology."""

    name = models.CharField(max_length=200, db_index=True, help_text=_("The official name."))
    slug = models.SlugField(max_length=120, unique=True, help_text=_("The name in URLs."))
    kind = models.CharField(
        max_length=20,
        choices=AgencyKind.choices,
        default=AgencyKind.OTHER,
        db_index=True,
        help_text=_("What sort of body this is."),
    )
    jurisdiction_level = models.CharField(
        max_length=20,
        choices=JurisdictionLevel.choices,
        blank=True,
        db_index=True,
        help_text=_("The level of government the agency belongs to."),
    )
    country = country_field()
    region = models.CharField(
        max_length=3,
        blank=True,
        help_text=_(
            "State or other subdivision: its ISO 3166-2 code without the country, e.g. OR."
        ),
    )
    locality = models.CharField(
        max_length=120, blank=True, help_text=_("The city or county the agency serves.")
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Where the agency is, for the map (WGS 84 degrees)."),
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Where the agency is, for the map (WGS 84 degrees)."),
    )
    website = models.URLField(max_length=500, blank=True, help_text=_("The agency's own website."))
    ori = models.CharField(
        _("ORI"),
        max_length=9,
        blank=True,
        validators=[ori_validator],
        help_text=_("FBI Originating Agency Identifier, 9 characters; unique when given."),
    )
    ocd_division_id = models.CharField(
        _("OCD division id"),
        max_length=300,
        blank=True,
        validators=[ocd_division_validator],
        help_text=_("Open Civic Data division id, e.g. ocd-division/country:us/state:or."),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("The body this agency belongs to, e.g. a police department's city."),
    )
    description = models.TextField(blank=True, help_text=_("Anything else worth knowing."))
    sources = sources_field("agencies", through="AgencyCitation")

    objects = AgencyQuerySet.as_manager()
    history = registry_history()
    HISTORY_RELATIONS = ("sources", "aliases")

    class Meta:
        verbose_name = _("agency")
        ordering = ["name"]
        verbose_name_plural = _("agencies")
        constraints = [
            *MergeableModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["ori"], condition=~models.Q(ori=""), name="agency_ori_unique_when_set"
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="agency_not_own_parent"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True, longitude__isnull=True)
                    | models.Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="agency_coordinates_both_or_neither",
            ),
        ]
        indexes = [
            models.Index(fields=["country", "region"], name="agency_country_region"),
            # `region=OR` alone is the most common filter; the pair above needs the country.
            models.Index(fields=["region"], name="agency_region"),
            # The region filter matches ignoring case (region__iexact: UPPER(region)), since
            # a bulk load writes regions without Agency.clean() upper-casing them.
            models.Index(F("country"), Upper("region"), name="agency_country_upper_region"),
            # The regions the filters offer (agency_region_options: the distinct pairs of
            # published agencies), read from the index alone instead of every agency row.
            models.Index(
                fields=["country", "region"],
                name="agency_published_regions",
                condition=models.Q(visibility=Visibility.PUBLISHED),
            ),
            # The list's sorts (AgencyFilter.sort_options), read a page at a time.
            listed_order_index("agency_list_name", "name"),
            listed_order_index("agency_list_name_desc", F("name").desc()),
            listed_order_index("agency_list_region", "country", "region", "name"),
            listed_order_index("agency_list_updated", F("updated_at").desc()),
        ]

    # What __str__ returns, for the API's links written by PostgreSQL (apps/api/records.py).
    STR_FIELD = "name"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url("agencies:detail", self.slug)

    @property
    def country_name(self):
        return country_name(self.country)

    @property
    def region_name(self):
        return region_name(self.country, self.region)

    @property
    def region_page(self):
        """The region as apps/regions' page knows it (a Region), or None when the region is
        not an ISO 3166-2 subdivision of the country (then there is no such page)."""
        return region_by_code(self.country, self.region) if self.region else None

    @property
    def place(self):
        """Where the agency is, for display: "Hillsboro, Oregon"."""
        return ", ".join(part for part in (self.locality, self.region_name) if part)

    def clean(self):
        errors = {}
        self.ori = self.ori.strip().upper()
        self.region = self.region.strip().upper()
        try:
            validate_region(self.country, self.region)
        except ValidationError as exc:
            errors["region"] = exc.messages
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = [gettext("Give both latitude and longitude, or neither.")]
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = [gettext("An agency cannot be its own parent.")]
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Agency, self.name, self.region, exclude_pk=self.pk)
        super().save(*args, **kwargs)


class AgencyCitation(Citation):
    """A citation of a source by an Agency: the `through` of its `sources`."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="citations",
        help_text=_("The citing record."),
    )

    class Meta:
        # The table Django made for the many-to-many field before it had pinpoints.
        db_table = "agencies_agency_sources"
        unique_together = [("agency", "source")]


class AgencyAlias(AliasModel):
    agency = alias_of(Agency, help_text=_("The agency."))

    class Meta(AliasModel.Meta):
        verbose_name_plural = _("agency aliases")
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="agency_alias_unique")
        ]
