from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.agencies.models import Agency, AgencyAlias
from apps.agencies.regions import agency_region_options
from apps.core.filters import (
    AnyOfFilter,
    AnyOfWidget,
    RecordItemField,
    RegionFilter,
    RegistryFilterSet,
    SearchFilter,
    any_of,
    choice_filter,
    country_filter,
    record_filter,
    record_label,
    record_options,
    tri_state_filter,
    year_filter,
    yes_no_filter,
    yes_or_no,
)
from apps.core.models import CURRENCY_CHOICES, YesNoUnknown
from apps.core.places import Ambiguous
from apps.records_requests.models import RecordsRequest
from apps.vendors.filters import VendorFamilyFilter
from apps.vendors.models import Product, Vendor

from .models import (
    AMOUNT_UNKNOWN_LAST,
    SORTED_AMOUNT,
    Contract,
    Nda,
    ProcurementMethod,
    nda_withheld_condition,
)

# Contracts without an amount last, whichever way amounts sort.
CURRENCY = F("currency").asc()


class ContractFilter(RegistryFilterSet):
    """?vendor=<slug>&agency=<slug>&procurement_method=sole-source&amount_min=10000&year=2018"""

    q = SearchFilter(
        fields=("title", "identifier", "summary", "agency__name", "vendor__name"),
        related=((AgencyAlias.objects.all(), "agency", "name", "agency"),),
        help_text=_("Words in the title, number, summary, funding source, buyer or vendor."),
    )
    agency = record_filter(Agency.objects.published(), "agency", _("Agency"), ori=True)
    vendor = VendorFamilyFilter()
    product = record_filter(
        Product.objects.published(), "product", _("Product"), field_name="products", distinct=True
    )
    country = country_filter("agency__country")
    region = RegionFilter(prefix="agency__", options=agency_region_options)
    procurement_method = choice_filter(
        ProcurementMethod.choices, _("Procurement method"), field_name="procurement_method"
    )
    amount_min = django_filters.NumberFilter(
        field_name="amount",
        lookup_expr="gte",
        label=_("Amount at least"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("In the contract's own currency."),
    )
    amount_max = django_filters.NumberFilter(
        field_name="amount",
        lookup_expr="lte",
        label=_("Amount at most"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    year = year_filter(
        "filter_year", label=_("Year"), help_text=_("Signed (or started) that year.")
    )
    # Amounts in different currencies are never added up: the charts of contract value link
    # here with the currency they sum.
    currency = choice_filter(CURRENCY_CHOICES, _("Currency"), field_name="currency")
    has_amount = yes_no_filter(
        _("Amount disclosed"), "filter_has_amount", _("Its value is recorded.")
    )

    sort_options = {
        "-signed": (_("Newest first"), "signed_date", "start_date"),
        "signed": (_("Oldest first"), "signed_date", "start_date"),
        # Within each currency: 1,000 EUR and 1,000 USD are not the same amount.
        "-amount": (
            _("Largest amount (by currency)"),
            AMOUNT_UNKNOWN_LAST,
            CURRENCY,
            SORTED_AMOUNT.desc(),
        ),
        "amount": (
            _("Smallest amount (by currency)"),
            AMOUNT_UNKNOWN_LAST,
            CURRENCY,
            SORTED_AMOUNT.asc(),
        ),
        "agency": (_("Agency A–Z"), "agency__name"),
        "vendor": (_("Vendor A–Z"), "vendor__name"),
    }
    default_sort = "-signed"

    class Meta:
        model = Contract
        fields = []

    def filter_year(self, queryset, name, years):
        return any_of(queryset, years, lambda qs, year: qs.in_year(year))

    def filter_has_amount(self, queryset, name, answers):
        return yes_or_no(queryset, answers, Q(amount__isnull=False))

    def is_valid(self):
        valid = super().is_valid()
        low = self.form.cleaned_data.get("amount_min")
        high = self.form.cleaned_data.get("amount_max")
        if valid and low is not None and high is not None and low > high:
            self.form.add_error("amount_max", gettext("The maximum is below the minimum."))
            return False
        return valid


class CounterpartyField(forms.CharField):
    """A vendor or an agency, by slug, or by name or alias (ignoring case and accents); a
    name both a vendor and an agency (or several of either) have is an Ambiguous error."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        counterparty = (
            Vendor.objects.published().filter(slug=text).first()
            or Agency.objects.published().filter(slug=text).first()
        )
        if counterparty is not None:
            return counterparty
        matches = [
            *RecordItemField(queryset=Vendor.objects.published(), noun="vendor").by_name(text),
            *RecordItemField(queryset=Agency.objects.published(), noun="agency").by_name(text),
        ]
        if len(matches) == 1:
            return matches[0]
        if matches:
            error = Ambiguous(
                gettext("“%(text)s” is the name of %(count)s vendors or agencies: choose one.")
                % {"text": text, "count": len(matches)},
                [(record_label(m), m.slug, m.get_absolute_url()) for m in matches],
            )
        else:
            error = ValidationError(
                gettext("No vendor or agency has the identifier or name “%(text)s”.")
                % {"text": text}
            )
        error.typed = text
        raise error


class CounterpartyFilter(AnyOfFilter):
    """Any of some counterparties (vendors or agencies, by slug)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("item", CounterpartyField(max_length=200))
        kwargs.setdefault(
            "widget",
            AnyOfWidget(
                options=lambda: record_options(
                    Vendor.objects.published().filter(merged_into__isnull=True)
                ),
                placeholder=_("name or identifier"),
            ),
        )
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(reduce(or_, (self.matching(one) for one in value)))

    def matching(self, counterparty):
        if isinstance(counterparty, Vendor):
            # A parent company's NDAs include its subsidiaries', as the vendor filter does.
            return Q(counterparty_vendor__in=counterparty.family_ids())
        return Q(counterparty_agency=counterparty)


class NdaFilter(RegistryFilterSet):
    """?counterparty=<vendor or agency slug>&cited_to_withhold=yes&region=OR"""

    q = SearchFilter(
        fields=(
            "agency__name",
            "counterparty_vendor__name",
            "counterparty_agency__name",
            "signatory",
            "scope",
        ),
        related=((AgencyAlias.objects.all(), "agency", "name", "agency"),),
        help_text=_("Words in the agency, counterparty, signatory, scope or term."),
    )
    agency = record_filter(Agency.objects.published(), "agency", _("Agency"), ori=True)
    counterparty = CounterpartyFilter(
        label=_("Counterparty"),
        help_text=_("A vendor's (with its subsidiaries) or an agency's name or identifier."),
    )
    counterparty_kind = choice_filter(
        [("vendor", _("A vendor")), ("agency", _("Another agency"))],
        _("Signed with"),
        method="filter_counterparty_kind",
    )
    cited_to_withhold = tri_state_filter(_("Cited to withhold records"), "cited_to_withhold")
    cited_in_request = yes_no_filter(
        _("Cited in a records request"),
        "filter_cited_in_request",
        _("Cited to withhold records in at least one published records request."),
    )
    withheld_records = choice_filter(
        YesNoUnknown.choices,
        _("Used to withhold records"),
        method="filter_withheld_records",
        help_text=_(
            "Yes: its record or a published records request says it was cited to "
            "withhold records; unknown: its record does not say and no request cites it."
        ),
    )
    country = country_filter("agency__country")
    region = RegionFilter(prefix="agency__", options=agency_region_options)
    year = year_filter("filter_year", label=_("Year signed"))

    sort_options = {
        "-signed": (_("Newest first"), "signed_date"),
        "signed": (_("Oldest first"), "signed_date"),
        "agency": (_("Agency A–Z"), "agency__name"),
    }
    default_sort = "-signed"

    class Meta:
        model = Nda
        fields = []

    def filter_counterparty_kind(self, queryset, name, kinds):
        condition = Q()
        if "vendor" in kinds:
            condition |= Q(counterparty_vendor__isnull=False)
        if "agency" in kinds:
            condition |= Q(counterparty_agency__isnull=False)
        return queryset.filter(condition)

    def filter_year(self, queryset, name, years):
        return queryset.filter(signed_date__year__in=years)

    def filter_withheld_records(self, queryset, name, answers):
        return queryset.filter(reduce(or_, (nda_withheld_condition(one) for one in answers)))

    def filter_cited_in_request(self, queryset, name, answers):
        citing = RecordsRequest.objects.published().filter(ndas_cited=OuterRef("pk"))
        return yes_or_no(queryset, answers, Q(Exists(citing)))
