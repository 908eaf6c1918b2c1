"""The kinds of record that are edited on the site, and how each is found and shown.

One entry per kind: the URL prefix (as in /deployments/new/), the model, its edit form, and
whether records are addressed by slug or by number. Views, URLs, the review queue and the
history pages all read this table, so adding a kind is one line here and a form."""

from dataclasses import dataclass

from django.utils.module_loading import import_string

from .fields import record_number


@dataclass(frozen=True)
class EditableKind:
    slug: str
    model_path: str
    form_path: str
    lookup: str  # "slug" or "pk": how the record appears in its URL

    @property
    def model(self):
        return import_string(self.model_path)

    @property
    def form_class(self):
        return import_string(self.form_path)

    @property
    def noun(self):
        return self.model._meta.verbose_name

    @property
    def a_noun(self):
        """ "an agency", "an NDA", "a vendor": for "Add …" links and headings."""
        noun = str(self.noun)
        # An initialism takes "an" before a letter said with a vowel sound (an NDA).
        letters = "AEFHILMNORSX" if noun.isupper() else "aeiouAEIOU"
        vowel_sound = noun[0] in letters
        return f"{'an' if vowel_sound else 'a'} {noun}"

    def get(self, key, queryset=None):
        queryset = self.model.objects.all() if queryset is None else queryset
        if self.lookup == "pk":
            number = record_number(key)
            return queryset.get(pk=number) if number is not None else queryset.none().get()
        return queryset.get(slug=key)


KINDS = {
    kind.slug: kind
    for kind in [
        EditableKind(
            "deployments",
            "apps.deployments.models.Deployment",
            "apps.deployments.forms.DeploymentForm",
            "pk",
        ),
        EditableKind(
            "agencies", "apps.agencies.models.Agency", "apps.agencies.forms.AgencyForm", "slug"
        ),
        EditableKind(
            "vendors", "apps.vendors.models.Vendor", "apps.vendors.forms.VendorForm", "slug"
        ),
        EditableKind(
            "products", "apps.vendors.models.Product", "apps.vendors.forms.ProductForm", "slug"
        ),
        EditableKind(
            "contracts",
            "apps.contracts.models.Contract",
            "apps.contracts.forms.ContractForm",
            "pk",
        ),
        EditableKind("ndas", "apps.contracts.models.Nda", "apps.contracts.forms.NdaForm", "pk"),
        EditableKind(
            "sources", "apps.sources.models.Source", "apps.sources.forms.SourceForm", "pk"
        ),
        # Technologies are a taxonomy, edited by admins in the Django admin.
    ]
}


def kind_for_model(model):
    for kind in KINDS.values():
        if kind.model is model:
            return kind
    raise LookupError(f"{model.__name__} is not editable on the site")
