import re
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.agencies.models import Agency
from apps.deployments.models import Deployment
from apps.records.fields import (
    IDENTIFIER_RE,
    RecordChoiceField,
    no_null_characters,
    record_number,
)
from apps.records.forms import RecordForm, https_formfield, upper_code
from apps.records.registry import kind_for_model
from apps.vendors.models import Product, Vendor

from .models import Contract, Nda

PRODUCT_ADDRESS_RE = re.compile(r"/products/(?P<slug>[-\w]+)/?$")
CENTS = Decimal("0.01")
NUMBER_RE = re.compile(r"^#?(?P<number>\d+)$")


def agency_field(**kwargs):
    kwargs.setdefault("help_text", _("Start typing the agency's name, e.g. Hillsboro Police."))
    return RecordChoiceField(
        queryset=Agency.objects.all(),
        autocomplete="agencies",
        noun="agency",
        **kwargs,
    )


def vendor_field(**kwargs):
    kwargs.setdefault("help_text", _("Start typing the company's name, e.g. Axon."))
    return RecordChoiceField(
        queryset=Vendor.objects.all(),
        autocomplete="vendors",
        noun="vendor",
        **kwargs,
    )


class RecordLinesField(forms.CharField):
    """Several records, one per line, typed without JavaScript. The field only splits the
    lines: which records they name depends on other fields of the form (the contract's
    vendor), so the form resolves them in clean()."""

    def __init__(self, *, describe, **kwargs):
        self.describe = describe
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(
                self.describe(item) if hasattr(item, "pk") else str(item) for item in value
            )
        return value

    def to_python(self, value):
        text = super().to_python(value)
        # Checked here: the field's own validators see the list, not the text.
        no_null_characters(text)
        return [line.strip() for line in text.splitlines() if line.strip()]


def _products_named(line, usable):
    """The products of `usable` a line names: "Name", "Name [slug]", a slug or a product's
    address on this site. Possibly several, of different vendors."""
    usable = usable.select_related("vendor")
    identifier = IDENTIFIER_RE.search(line)
    if identifier:
        key = identifier["key"].strip()
        number = record_number(key)
        lookup = (Q(slug=key) | Q(pk=number)) if number is not None else Q(slug=key)
    elif address := PRODUCT_ADDRESS_RE.search(line):
        lookup = Q(slug=address["slug"])
    else:
        lookup = Q(name__iexact=line) | Q(slug=line)
    return list(usable.filter(lookup).order_by("pk")[:10])


def describe_by_number(record):
    """A record on a line of a RecordLinesField read by records_by_number(): "#12 <name>"."""
    return f"#{record.pk} {record}"


def records_by_number(lines, queryset, *, noun, check=None):
    """The records of `queryset` that `lines` name by number ("#123", "123", "#123 anything"
    or the record's address on this site), in order and without repeats, and the problems:
    a line that is not a number, a number that is no record of `queryset`, or what
    `check(record)` says is wrong with one (None when nothing is)."""
    key = kind_for_model(queryset.model).key  # the records' URL prefix
    address = re.compile(rf"^\S*/{re.escape(key)}/(?P<number>\d+)/?$")
    keys = [NUMBER_RE.match(line.split()[0]) or address.match(line.split()[0]) for line in lines]
    digits = [key["number"] if key else None for key in keys]
    # A number too long to be any record's is not looked up (SQLite would overflow).
    numbers = [record_number(text) if text else None for text in digits]
    found = queryset.in_bulk([number for number in numbers if number is not None])
    records, problems = [], []
    for line, text, number in zip(lines, digits, numbers, strict=True):
        record = found.get(number) if number is not None else None
        if text is None:
            problems.append(
                gettext(
                    "“%(line)s” is not a %(noun)s number: write it as #123, or paste the "
                    "%(noun)s's address."
                )
                % {"line": line, "noun": noun}
            )
        elif record is None:
            problems.append(
                gettext("There is no %(noun)s #%(number)s.")
                % {"noun": noun, "number": text if number is None else number}
            )
        elif check is not None and (problem := check(record)):
            problems.append(problem)
        elif record not in records:
            records.append(record)
    return records, problems


class ContractForm(RecordForm):
    partial_dates = {"signed": "signed_date", "start": "start_date", "end": "end_date"}
    link_fields = ("products", "deployments")
    field_order = [
        "agency",
        "vendor",
        "title",
        "identifier",
        "procurement_method",
        "amount",
        "currency",
        "signed",
        "start",
        "end",
        "products",
        "deployments",
        "funding_source",
        "summary",
    ]

    agency = agency_field(label=_("Agency (buyer)"))
    vendor = vendor_field(label=_("Vendor (supplier)"))
    products = RecordLinesField(
        label=_("Products it covers"),
        describe=str,
        help_text=_(
            "One per line: the product's name as the vendor sells it (it must be a "
            "product of the vendor above). Leave empty if the documents do not name one."
        ),
    )
    deployments = RecordLinesField(
        label=_("Deployments it pays for"),
        describe=describe_by_number,
        help_text=_(
            "One per line: the deployment's number as #123, or its address on this "
            "site. Each must be the buyer's or use the vendor's technology. Optional."
        ),
    )

    class Meta:
        model = Contract
        fields = [
            "agency",
            "vendor",
            "title",
            "identifier",
            "procurement_method",
            "amount",
            "currency",
            "products",
            "deployments",
            "funding_source",
            "summary",
        ]
        formfield_callback = https_formfield
        labels = {"identifier": _("Contract or PO number")}
        help_texts = {
            "amount": _(
                "The total value in the currency below, e.g. 12000.00; 0 for a free "
                "trial or a donation. Leave empty if unknown."
            ),
            "currency": _("Three-letter ISO 4217 code, e.g. USD, CAD, EUR."),
        }
        widgets = {
            "title": forms.TextInput(attrs={"size": 60}),
            "currency": forms.TextInput(attrs={"size": 4, "autocomplete": "off"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        return None if amount is None else amount.quantize(CENTS)

    def clean_currency(self):
        return upper_code(self.cleaned_data.get("currency"))

    def clean(self):
        cleaned = super().clean()
        agency, vendor = cleaned.get("agency"), cleaned.get("vendor")
        if "products" in cleaned:
            cleaned["products"] = self._products(cleaned["products"], vendor)
        if "deployments" in cleaned:
            cleaned["deployments"] = self._deployments(cleaned["deployments"], agency, vendor)
        return cleaned

    def _products(self, lines, vendor):
        """The products the lines name, all the vendor's; errors on the field otherwise."""
        if vendor is None:
            return []  # the vendor's own error is shown; products are checked once it is known
        products, problems = [], []
        for line in lines:
            found = _products_named(line, self.linkable(Product.objects.all()))
            own = [product for product in found if product.vendor_id == vendor.pk]
            if own:
                if own[0] not in products:
                    products.append(own[0])
            elif found:
                sellers = ", ".join(sorted({product.vendor.name for product in found}))
                problems.append(
                    gettext("“%(line)s” is a product of %(sellers)s, not of %(vendor)s.")
                    % {"line": line, "sellers": sellers, "vendor": vendor.name}
                )
            else:
                problems.append(gettext("No product is called “%(line)s”.") % {"line": line})
        if problems:
            names = list(
                self.linkable(vendor.products.all())
                .order_by("name")
                .values_list("name", flat=True)[:10]
            )
            if names:
                problems.append(
                    gettext("Products of %(vendor)s: %(names)s.")
                    % {"vendor": vendor.name, "names": "; ".join(names)}
                )
            else:
                problems.append(
                    gettext("%(vendor)s has no products in the registry yet: add it first.")
                    % {"vendor": vendor.name}
                )
            self.add_error("products", problems)
            return []
        return products

    def _deployments(self, lines, agency, vendor):
        """The deployments the lines name; each must be the buyer's or the vendor's."""

        def check(deployment):
            if (
                agency is not None
                and vendor is not None
                and deployment.agency_id != agency.pk
                and deployment.vendor_id != vendor.pk
            ):
                return gettext(
                    "Deployment #%(number)s (%(deployment)s) is neither %(agency)s's nor a use "
                    "of %(vendor)s's technology: check the number."
                ) % {
                    "number": deployment.pk,
                    "deployment": deployment,
                    "agency": agency.name,
                    "vendor": vendor.name,
                }
            return None

        deployments, problems = records_by_number(
            lines,
            self.linkable(Deployment.objects.all()).select_related(
                "agency", "technology", "product", "vendor"
            ),
            noun="deployment",
            check=check,
        )
        if problems:
            self.add_error("deployments", problems)
            return []
        return deployments


class NdaForm(RecordForm):
    partial_dates = {"signed": "signed_date"}
    field_order = [
        "agency",
        "counterparty_vendor",
        "counterparty_agency",
        "signed",
        "signatory",
        "term",
        "scope",
        "cited_to_withhold",
    ]

    agency = agency_field(
        label=_("Agency bound by it"),
        help_text=_("The agency that signed and must keep the secret. Start typing its name."),
    )
    counterparty_vendor = vendor_field(
        label=_("Signed with a vendor"),
        required=False,
        help_text=_("The company on the other side. Give a vendor or an agency below, not both."),
    )
    counterparty_agency = agency_field(
        label=_("Or signed with an agency"),
        required=False,
        help_text=_(
            "The other side when it is a public body, e.g. the FBI. Leave empty when "
            "the other side is a vendor."
        ),
    )

    class Meta:
        model = Nda
        fields = [
            "agency",
            "counterparty_vendor",
            "counterparty_agency",
            "signatory",
            "term",
            "scope",
            "cited_to_withhold",
        ]
        formfield_callback = https_formfield
        labels = {"signatory": _("Signed by"), "scope": _("What it keeps secret")}
        widgets = {"scope": forms.Textarea(attrs={"rows": 4})}
