"""Model pieces every record of the registry shares."""

import datetime
import gettext as gnu_gettext
from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class Visibility(models.TextChoices):
    """Whether the public sees a record. Volunteers' new records wait as pending; a withdrawn
    record is hidden from public pages but never deleted."""

    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Pending review")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The registry's home country: the default of a record's country, and where a region typed
# without a country is looked for first.
DEFAULT_COUNTRY = "US"

COUNTRY_CHOICES = sorted(
    ((country.alpha_2, country.name) for country in pycountry.countries), key=lambda c: c[1]
)
CURRENCY_CHOICES = sorted(
    (currency.alpha_3, f"{currency.alpha_3} — {currency.name}") for currency in pycountry.currencies
)


def validate_country(code):
    if code and pycountry.countries.get(alpha_2=code) is None:
        raise ValidationError(
            gettext("“%(code)s” is not an ISO 3166-1 alpha-2 country code, e.g. US.")
            % {"code": code}
        )


def validate_currency(code):
    if code and pycountry.currencies.get(alpha_3=code) is None:
        raise ValidationError(
            gettext("“%(code)s” is not an ISO 4217 currency code, e.g. USD.") % {"code": code}
        )


def country_name(code):
    """The country's ISO 3166 name in the page's language ("Estados Unidos" under /es/)."""
    country = pycountry.countries.get(alpha_2=code) if code else None
    return country_names(get_language()).gettext(country.name) if country else code


@cache
def country_names(language):
    """pycountry's own translations of the ISO 3166 country names, for `language` (none for
    English, or a language it has no catalogue for)."""
    try:
        return gnu_gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except (OSError, TypeError):
        return gnu_gettext.NullTranslations()


def region_name(country, region):
    """The subdivision's name ("Oregon" for US + OR), or the code if it is not known."""
    if not (country and region):
        return region
    subdivision = pycountry.subdivisions.get(code=f"{country}-{region}")
    return subdivision.name if subdivision else region


def validate_region(country, region):
    """Raise ValidationError unless `region` is an ISO 3166-2 subdivision code of `country`."""
    if region and country and pycountry.subdivisions.get(code=f"{country}-{region}") is None:
        raise ValidationError(
            gettext(
                "“%(region)s” is not a region of %(country)s: use the ISO 3166-2 "
                "subdivision code without the country prefix (e.g. OR for Oregon)."
            )
            % {"region": region, "country": country_name(country)}
        )


class TimeStampedModel(models.Model):
    # Indexed: lists sort by "recently updated" and the home page by newest.
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, help_text=_("When the record was first saved.")
    )
    updated_at = models.DateTimeField(
        auto_now=True, db_index=True, help_text=_("When the record last changed.")
    )

    class Meta:
        abstract = True


class AliasModel(models.Model):
    """Another name a record goes by (a former name, an abbreviation, a brand); search and
    import matching use it. Subclasses add the foreign key to their record with alias_of()."""

    name = models.CharField(max_length=200, db_index=True, help_text=_("The other name."))

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


def alias_of(record_model, help_text):
    """An AliasModel's foreign key to its record, seen from the record as `aliases`: the
    name MergeableQuerySet.matching_name, merging and versions look the aliases up by."""
    return models.ForeignKey(
        record_model, on_delete=models.CASCADE, related_name="aliases", help_text=help_text
    )


class PublishableQuerySet(models.QuerySet):
    """The one meaning of "public" and of what a person may see or link to. Nothing outside
    this module compares `visibility` with a string: it asks these methods."""

    def published(self):
        return self.filter(visibility=Visibility.PUBLISHED)

    def pending(self):
        return self.filter(visibility=Visibility.PENDING)

    def not_withdrawn(self):
        return self.exclude(visibility=Visibility.WITHDRAWN)

    def authored_by(self, user):
        """Records whose first version `user` saved: the records they added."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        first_versions = self.model.history.filter(history_type="+", history_user=user)
        return self.filter(pk__in=first_versions.values("id"))

    def visible_to(self, user):
        """What `user` may read by name: everything for a reviewer; for anyone else the
        published records and their own that wait for review (never another volunteer's
        unreviewed work)."""
        if _is_reviewer(user):
            return self.all()
        return self._published_or_own_pending(user)

    def linkable_by(self, user):
        """What `user` may link to or cite. A reviewer's save publishes what it cites, so a
        reviewer may link anything not withdrawn; anyone else the published records and
        their own pending ones (an agency added a moment ago, to add its deployment)."""
        if _is_reviewer(user):
            return self.not_withdrawn()
        return self._published_or_own_pending(user)

    def _published_or_own_pending(self, user):
        own = self.pending().authored_by(user).values("pk")
        return self.filter(
            models.Q(visibility=Visibility.PUBLISHED)
            | models.Q(visibility=Visibility.PENDING, pk__in=own)
        )


def published_through(relation):
    """The condition "the related record is published", for a filter or an aggregate over a
    relation (Count("deployments", filter=published_through("deployments")))."""
    return models.Q(**{f"{relation}__visibility": Visibility.PUBLISHED})


def _is_reviewer(user):
    # Asked of the user (accounts.User.is_reviewer) rather than of the accounts app, which
    # builds on core; an anonymous visitor has no such attribute and is no reviewer.
    return bool(getattr(user, "is_reviewer", False))


class PublishableModel(TimeStampedModel):
    visibility = models.CharField(
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLISHED,
        db_index=True,
        help_text=_("Published records are public; pending and withdrawn ones are not."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.visibility == Visibility.PUBLISHED

    @property
    def is_pending(self):
        return self.visibility == Visibility.PENDING

    @property
    def is_withdrawn(self):
        return self.visibility == Visibility.WITHDRAWN


class MergeableQuerySet(PublishableQuerySet):
    def matching_name(self, name):
        """Records called `name` or with it as an alias, but not duplicates merged away: a
        merged duplicate's name lives on as its survivor's alias."""
        name = name.strip()
        return self.filter(
            models.Q(name__iexact=name) | models.Q(aliases__name__iexact=name),
            merged_into__isnull=True,
        ).distinct()


class MergeableModel(PublishableModel):
    """A record that duplicates can be merged into (agencies, vendors). The duplicate stays,
    withdrawn, with `merged_into` set so that its address redirects to the survivor.
    Subclasses have a `name` field and an AliasModel whose foreign key to them is named
    `aliases`: name matching looks at both."""

    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
        help_text=_("The record this duplicate was merged into; its address redirects there."),
    )

    objects = MergeableQuerySet.as_manager()

    class Meta:
        abstract = True
        # A subclass with constraints of its own lists these first:
        # constraints = [*MergeableModel.Meta.constraints, ...].
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="%(class)s_not_merged_into_self",
            )
        ]


def tri_state_field(verbose_name, help_text):
    return models.CharField(
        verbose_name,
        max_length=7,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
        db_index=True,
        help_text=help_text,
    )


COUNTRY_HELP = _("ISO 3166-1 alpha-2 code, e.g. US.")


def country_field(blank=False, default=DEFAULT_COUNTRY, help_text=COUNTRY_HELP):
    # Validated against pycountry rather than given as choices, so that a pycountry update
    # does not rewrite the migrations.
    return models.CharField(
        _("country"),
        max_length=2,
        blank=blank,
        default=default,
        db_index=True,
        validators=[validate_country],
        help_text=help_text,
    )


# The date an unknown date sorts as in the public lists: before every real date going down,
# after every one going up, so that unknown dates come last either way (as NULLS LAST) while
# the sort key is never NULL: an expression index matches it and keyset pagination seeks
# through it with a range (apps.core.pagination).
UNKNOWN_DATE_LAST = {True: datetime.date.min, False: datetime.date.max}


def unknown_date_last(name, descending):
    """COALESCE(name, the date past every real one in the sort's direction): a nullable date
    as the lists sort it, and as their indexes (listed_order_index) hold it."""
    value = models.Value(UNKNOWN_DATE_LAST[descending], output_field=models.DateField())
    return Coalesce(models.F(name), value)


def listed_order_index(name, *terms):
    """An index of the published rows in one of a public list's orders: `terms` (OrderBy or
    field names) then the primary key that breaks ties, as RegistryFilterSet.ordering_for
    sorts. The planner reads a page from it, the first or one far down, without sorting."""
    return models.Index(
        *(models.F(term) if isinstance(term, str) else term for term in terms),
        models.F("id"),
        name=name,
        condition=models.Q(visibility=Visibility.PUBLISHED),
    )
