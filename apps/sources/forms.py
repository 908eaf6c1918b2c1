from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.records.fields import source_address_taken
from apps.records.forms import RecordForm, https_formfield

from .models import Source


class CurrentDocument:
    """What the file input shows of the current document: a link to the checked view, not
    the file's storage path."""

    def __init__(self, url):
        self.url = url

    def __str__(self):
        return "the current PDF"


class DocumentInput(forms.ClearableFileInput):
    document_url = ""

    def format_value(self, value):
        value = super().format_value(value)
        return CurrentDocument(self.document_url) if value and self.document_url else value


class SourceForm(RecordForm):
    """A source is the evidence itself: it cites no sources."""

    cites_sources = False
    partial_dates = {"published": "publication_date"}
    field_order = [
        "title",
        "url",
        "publisher",
        "published",
        "kind",
        "archive_url",
        "document",
        "notes",
    ]

    class Meta:
        model = Source
        fields = ["title", "url", "publisher", "kind", "archive_url", "document", "notes"]
        formfield_callback = https_formfield
        labels = {
            "url": _("Web address"),
            "kind": _("Kind of source"),
            "document": _("Document (PDF)"),
        }
        help_texts = {
            "url": _(
                "Where the source is published, e.g. the article or the records portal "
                "page. Give this, or upload the document, or both."
            ),
            "archive_url": _(
                "A copy in a web archive (e.g. web.archive.org), in case the "
                "original disappears. Optional."
            ),
            "document": _("A copy of the document, e.g. a released public record (PDF)."),
        }
        widgets = {
            "title": forms.TextInput(attrs={"size": 60}),
            "document": DocumentInput(attrs={"accept": "application/pdf"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].widget.document_url = self.instance.document_url

    def _update_errors(self, errors):
        # An address refused above is not a missing one: keep only the first explanation.
        if "url" in self._errors and hasattr(errors, "error_dict"):
            errors = ValidationError(
                {name: value for name, value in errors.error_dict.items() if name != "url"}
            )
        super()._update_errors(errors)

    def clean_url(self):
        url = self.cleaned_data.get("url") or ""
        if url:
            other = Source.objects.filter(url=url).exclude(pk=self.instance.pk).first()
            if other is not None and not self.linkable(Source.objects.filter(pk=other.pk)):
                raise ValidationError(source_address_taken(other))
            if other is not None:
                raise ValidationError(
                    gettext(
                        "This address is already in the registry as source #%(number)s "
                        "(“%(title)s”): cite that one, or edit it."
                    )
                    % {"number": other.pk, "title": other.title}
                )
        return url
