import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from apps.agencies.models import Agency
from apps.core.filters import (
    RegistryFilterSet,
    SlugTextFilter,
    country_filter,
    region_filter,
    tri_state_filter,
    year_filter,
)
from apps.vendors.filters import VendorFamilyFilter
from apps.vendors.models import Product, Vendor

from .models import Contract, Nda, ProcurementMethod


class ContractFilter(RegistryFilterSet):
    """?vendor=<slug>&agency=<slug>&procurement_method=sole-source&amount_min=10000&year=2018"""

    agency = SlugTextFilter(queryset=Agency.objects.published(), noun="agency")
    vendor = VendorFamilyFilter()
    product = SlugTextFilter(
        queryset=Product.objects.published(), noun="product", field_name="products"
    )
    country = country_filter("agency__country")
    region = region_filter("agency__region")
    procurement_method = django_filters.ChoiceFilter(
        choices=ProcurementMethod.choices, label="Procurement method"
    )
    amount_min = django_filters.NumberFilter(
        field_name="amount",
        lookup_expr="gte",
        label="Amount at least",
        min_value=0,
        help_text="In the contract's own currency.",
    )
    amount_max = django_filters.NumberFilter(
        field_name="amount", lookup_expr="lte", label="Amount at most", min_value=0
    )
    year = year_filter("filter_year", label="Year", help_text="Signed (or started) that year.")

    sort_options = {
        "-signed": ("Newest first", "signed_date", "start_date"),
        "signed": ("Oldest first", "signed_date", "start_date"),
        "-amount": ("Largest amount", "amount"),
        "amount": ("Smallest amount", "amount"),
        "agency": ("Agency A–Z", "agency__name"),
        "vendor": ("Vendor A–Z", "vendor__name"),
    }
    default_sort = "-signed"

    class Meta:
        model = Contract
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset.in_year(int(value))

    @property
    def qs(self):
        # A product filter joins the many-to-many table: one contract may match twice.
        queryset = super().qs
        return queryset.distinct() if self.form.cleaned_data.get("product") else queryset

    def is_valid(self):
        valid = super().is_valid()
        low = self.form.cleaned_data.get("amount_min")
        high = self.form.cleaned_data.get("amount_max")
        if valid and low is not None and high is not None and low > high:
            self.form.add_error("amount_max", "The maximum is below the minimum.")
            return False
        return valid


class CounterpartyField(forms.CharField):
    """A vendor's or an agency's slug, resolved to that record."""

    def clean(self, value):
        slug = super().clean(value)
        if not slug:
            return None
        counterparty = (
            Vendor.objects.published().filter(slug=slug).first()
            or Agency.objects.published().filter(slug=slug).first()
        )
        if counterparty is None:
            raise ValidationError(f"No vendor or agency has the identifier “{slug}”.")
        return counterparty


class CounterpartyFilter(django_filters.Filter):
    field_class = CounterpartyField

    def filter(self, queryset, value):
        if value is None:
            return queryset
        if isinstance(value, Vendor):
            # A parent company's NDAs include its subsidiaries', as the vendor filter does.
            return queryset.filter(counterparty_vendor__in=value.family_ids())
        return queryset.filter(counterparty_agency=value)


class NdaFilter(RegistryFilterSet):
    """?counterparty=<vendor or agency slug>&cited_to_withhold=yes&region=OR"""

    agency = SlugTextFilter(queryset=Agency.objects.published(), noun="agency")
    counterparty = CounterpartyFilter(
        label="Counterparty",
        help_text="A vendor's (with its subsidiaries) or an agency's identifier.",
        widget=forms.TextInput(attrs={"placeholder": "vendor or agency identifier"}),
    )
    counterparty_kind = django_filters.ChoiceFilter(
        choices=[("vendor", "A vendor"), ("agency", "Another agency")],
        method="filter_counterparty_kind",
        label="Signed with",
    )
    cited_to_withhold = tri_state_filter("Cited to withhold records")
    country = country_filter("agency__country")
    region = region_filter("agency__region")
    year = year_filter("filter_year", label="Year signed")

    sort_options = {
        "-signed": ("Newest first", "signed_date"),
        "signed": ("Oldest first", "signed_date"),
        "agency": ("Agency A–Z", "agency__name"),
    }
    default_sort = "-signed"

    class Meta:
        model = Nda
        fields = []

    def filter_counterparty_kind(self, queryset, name, value):
        return queryset.filter(
            Q(counterparty_vendor__isnull=False)
            if value == "vendor"
            else Q(counterparty_agency__isnull=False)
        )

    def filter_year(self, queryset, name, value):
        return queryset.filter(signed_date__year=int(value))
