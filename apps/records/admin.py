from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin

from .services import publication_refusal, record_admin_save

# The admin is one more writer: the gateway's services record its saves and hold the
# publication rules. Withdrawing, restoring and merging change what the public sees of
# other records too, so they are done on the site (a record's history page), where the
# services check that nothing public is left depending on a hidden record; here they are
# read-only.
READ_ONLY_HERE = ("visibility", "merged_into")


class RegistryAdminForm(forms.ModelForm):
    """Refuses a save that would publish a link to a record that is not published, or leave
    a published record without a published source, as the site's forms do."""

    def _post_clean(self):
        super()._post_clean()  # the instance now has the form's values
        if self.errors:
            return
        names = getattr(type(self.instance), "HISTORY_RELATIONS", ())
        links = {
            name: list(self.cleaned_data[name])
            for name in names
            if name != "aliases" and name in self.cleaned_data
        }
        refusal = publication_refusal(self.instance, links)
        if refusal:
            self.add_error(None, refusal)


class CitationFormSet(forms.BaseInlineFormSet):
    """The citations of a record in the admin: the sources it will cite are checked against
    the publication rules before anything is saved (a published record cites a published
    source), as the record form checks its other links."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        sources = [
            form.cleaned_data["source"]
            for form in self.forms
            if form.cleaned_data.get("source") and not form.cleaned_data.get("DELETE")
        ]
        refusal = publication_refusal(self.instance, {"sources": sources})
        if refusal:
            raise ValidationError(refusal)


def citations_inline(model):
    """The inline that edits `model`'s citations (its sources with their pages and quotes),
    for the kinds that cite sources."""
    return type(
        f"{model.__name__}CitationInline",
        (admin.TabularInline,),
        {
            "model": model.sources.through,
            "formset": CitationFormSet,
            "fields": ("source", "page", "quote"),
            "autocomplete_fields": ("source",),
            "extra": 1,
            "verbose_name": "citation",
            "verbose_name_plural": "citations (sources, with the page and a quote)",
        },
    )


class RegistryAdmin(SimpleHistoryAdmin):
    """Admin for registry records: every save is ONE version (with the admin as its author
    and approving reviewer, fields, links and aliases together) and an approved change, both
    written by the gateway's services; the history is browsable; and nothing is deleted —
    withdraw a record from the site instead, so that it can be restored."""

    form = RegistryAdminForm
    # An address typed without a scheme is taken as https, as on the site's forms.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_delete_permission(self, request, obj=None):
        return False

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if any(field.name == "sources" for field in self.model._meta.many_to_many):
            inlines.append(citations_inline(self.model))
        return inlines

    # django-simple-history's "Revert" page saves the old version through save_model() and
    # save_m2m() only: no version, no change log, and the old visibility and merged_into come
    # back past every publication rule. Reverting is done on the site (a record's history
    # page, through record_revert); here versions are for reading.
    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        fields = [field.name for field in self.model._meta.get_fields()]
        hidden_here = [name for name in READ_ONLY_HERE if name in fields]
        return (*super().get_readonly_fields(request, obj), *hidden_here)

    def save_model(self, request, obj, form, change):
        # No version yet: the links and aliases are saved after the record (save_related),
        # and the one version is written once they are in place.
        obj.skip_history_when_saving = True
        obj.save()

    def save_related(self, request, form, formsets, change):
        record = form.instance
        try:
            super().save_related(request, form, formsets, change)
        finally:
            del record.skip_history_when_saving
        changed = [str(form.fields[name].label or name) for name in form.changed_data]
        for formset in formsets:
            if formset.has_changed():
                changed.append(str(formset.model._meta.verbose_name_plural))
        if change and not changed:
            return  # saved as it was: no version, as on the site
        summary = f"Changed in the admin: {', '.join(changed)}" if change else "Added in the admin"
        record_admin_save(record=record, user=request.user, created=not change, summary=summary)
