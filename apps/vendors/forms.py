from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from apps.records.fields import RecordChoiceField
from apps.records.forms import (
    AliasesFormMixin,
    RecordForm,
    https_formfield,
    upper_code,
)
from apps.records.numbers import record_number
from apps.technologies.models import Technology

from .models import Product, Vendor


class VendorForm(AliasesFormMixin, RecordForm):
    parent = RecordChoiceField(
        queryset=Vendor.objects.all(),
        autocomplete="vendors",
        noun="vendor",
        required=False,
        label=_("Parent company"),
        help_text=_(
            "When this vendor is a subsidiary: the company that owns it. Start typing "
            "its name; leave empty if none."
        ),
    )

    class Meta:
        model = Vendor
        # "aliases" is the form's own field (the other names), listed here for its place.
        fields = ["name", "aliases", "website", "country", "parent", "description"]
        formfield_callback = https_formfield
        help_texts = {
            "country": _(
                "Where the company is headquartered: the two-letter ISO 3166-1 code, "
                "e.g. US, IL, GB. Leave empty if unknown."
            )
        }
        widgets = {
            "country": forms.TextInput(attrs={"size": 3, "autocomplete": "off"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_country(self):
        return upper_code(self.cleaned_data.get("country"))

    def slug_parts(self):
        return (self.cleaned_data["name"],)


class TechnologyCheckboxes(forms.CheckboxSelectMultiple):
    """Also reads several ids given in one value, a line each, as the edit-conflict merge
    (editing.rebase) writes a multiple choice back into the form data."""

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name) or []
        return [part for value in values for part in str(value).split()]


class TechnologiesField(forms.ModelMultipleChoiceField):
    """Technologies by number; a value that cannot be one (a number too long for the
    database, which SQLite would overflow on) is an invalid choice, not looked up."""

    def clean(self, value):
        for pk in value or ():
            if record_number(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class ProductForm(RecordForm):
    link_fields = ("technologies",)

    vendor = RecordChoiceField(
        queryset=Vendor.objects.all(),
        autocomplete="vendors",
        noun="vendor",
        help_text=_("The company that sells it. Start typing its name, e.g. Axon."),
    )
    technologies = TechnologiesField(
        queryset=Technology.objects.order_by("name"),
        required=False,
        widget=TechnologyCheckboxes,
        help_text=_("Every kind of surveillance the product does."),
    )

    class Meta:
        model = Product
        fields = ["vendor", "name", "technologies", "description", "website"]
        formfield_callback = https_formfield
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        cleaned = super().clean()
        vendor, name = cleaned.get("vendor"), cleaned.get("name")
        if vendor is not None and self.instance.pk and vendor.pk != self.instance.vendor_id:
            self._refuse_a_new_vendor_when_used()
        if vendor is not None and name:
            same = vendor.products.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
            if same is not None:
                self.add_error(
                    "name",
                    gettext(
                        "%(vendor)s already has a product called “%(product)s” [%(slug)s]: "
                        "edit that one instead."
                    )
                    % {"vendor": vendor.name, "product": same.name, "slug": same.slug},
                )
        return cleaned

    def _refuse_a_new_vendor_when_used(self):
        # Deployments and contracts of the product name its vendor too: moving the product
        # alone would leave them saying one vendor's product is another's.
        deployments = self.instance.deployments.count()
        contracts = self.instance.contracts.count()
        named = [
            ngettext("%(count)d deployment", "%(count)d deployments", deployments)
            % {"count": deployments}
            if deployments
            else "",
            ngettext("%(count)d contract", "%(count)d contracts", contracts) % {"count": contracts}
            if contracts
            else "",
        ]
        named = [part for part in named if part]
        if named:
            self.add_error(
                "vendor",
                gettext(
                    "This product has %(uses)s, which name its vendor: its vendor cannot "
                    "change. If another company sells it now, add a new product for that "
                    "vendor instead."
                )
                % {"uses": gettext(" and ").join(named)},
            )

    def slug_parts(self):
        return (self.cleaned_data["vendor"].name, self.cleaned_data["name"])
