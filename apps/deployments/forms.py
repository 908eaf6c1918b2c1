from django import forms
from django.utils.translation import gettext_lazy as _

from apps.agencies.models import Agency
from apps.records.fields import RecordChoiceField
from apps.records.forms import RecordForm
from apps.technologies.models import Technology
from apps.vendors.models import Product, Vendor

from .models import Deployment


class DeploymentForm(RecordForm):
    partial_dates = {"start": "start_date", "end": "end_date"}
    field_order = [
        "agency",
        "technology",
        "product",
        "vendor",
        "status",
        "start",
        "end",
        "summary",
        "public_input",
        "use_policy",
        "data_sharing",
        "last_verified",
    ]

    agency = RecordChoiceField(
        queryset=Agency.objects.all(),
        autocomplete="agencies",
        noun="agency",
        help_text=_("Start typing the agency's name, e.g. Washington County Sheriff's Office."),
    )
    technology = forms.ModelChoiceField(
        queryset=Technology.objects.all(), empty_label=_("Choose a technology")
    )
    vendor = RecordChoiceField(
        queryset=Vendor.objects.all(),
        autocomplete="vendors",
        noun="vendor",
        required=False,
        help_text=_("Leave empty if unknown. Filled in from the product when you give one."),
    )
    product = RecordChoiceField(
        queryset=Product.objects.select_related("vendor"),
        autocomplete="products",
        noun="product",
        required=False,
        help_text=_("Leave empty if unknown."),
    )

    class Meta:
        model = Deployment
        fields = [
            "agency",
            "technology",
            "product",
            "vendor",
            "status",
            "summary",
            "public_input",
            "use_policy",
            "data_sharing",
            "last_verified",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "last_verified": forms.DateInput(attrs={"type": "date"}),
        }
