"""The base of every record's edit form: what the domain apps' forms build on."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.history import PAGE_MAX, PINPOINTS, QUOTE_MAX_LENGTH, pinpoint, pinpoints_of
from apps.core.partial_dates import DatePrecision, PartialDate
from apps.core.slugs import unique_slug

from .fields import (
    CitedSources,
    PartialDateField,
    RecordChoiceField,
    SourceListField,
    citation_lines,
    linkable,
    record_number,
    source_address_taken,
)
from .registry import evidence_model

NEW_SOURCE_FIELDS = (
    "new_source_url",
    "new_source_title",
    "new_source_publisher",
    "new_source_date",
    "new_source_kind",
    "new_source_document",
    "new_source_page",
    "new_source_quote",
)
OUT_OF_DATE = _("This form is out of date or damaged: reload the page and make your change again.")


class VersionField(forms.Field):
    """The version of the record the form was opened on (hidden). Anything that cannot be a
    version's number reads as None; RecordForm.clean() decides whether that will do."""

    widget = forms.HiddenInput

    def to_python(self, value):
        return record_number(value)


class RecordForm(forms.ModelForm):
    """A ModelForm with partial dates, cited sources (existing or one new), an edit summary
    and the version it was based on.

    Subclasses list `partial_dates = {"start": "start_date"}` (form field → model date
    field) and `link_fields` (many-to-many fields other than sources that the services
    save, e.g. a product's technologies). Forms never save themselves: the editing services
    do, so that every save is versioned and reviewed the same way.

    A kind that is itself evidence (Source) sets `cites_sources = False`: its form has no
    "Sources" part and nothing requires it to cite one. Kinds addressed by slug return the
    words of a new record's slug from `slug_parts()`. `field_order`, when set, orders the
    record's own fields (partial dates included); otherwise they follow `Meta.fields`, then
    the partial dates.

    `user` is who fills the form in: every record field accepts only what they may link to
    (`linkable_by`). Without one (a reviewer's replay of a stored change) anything not
    withdrawn."""

    partial_dates: dict = {}
    link_fields: tuple = ()
    cites_sources = True

    sources = SourceListField(label=_("Sources already in the registry"), pinpoints=True)
    new_source_url = forms.URLField(
        label=_("Web address"), required=False, max_length=1000, assume_scheme="https"
    )
    new_source_title = forms.CharField(label=_("Title"), required=False, max_length=300)
    new_source_publisher = forms.CharField(
        label=_("Publisher"),
        required=False,
        max_length=200,
        help_text=_("A newspaper, an agency, an organisation."),
    )
    new_source_date = PartialDateField(label=_("Published"))
    # Optional like the rest of "Add a new source"; an empty choice means "other".
    new_source_kind = forms.ChoiceField(
        label=_("Kind of source"),
        choices=lambda: evidence_model()._meta.get_field("kind").choices,
        required=False,
    )
    new_source_document = forms.FileField(
        label=_("Document (PDF)"),
        required=False,
        help_text=_("Upload a copy, for example a released public record."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    new_source_page = forms.IntegerField(
        label=_("Page"),
        required=False,
        min_value=1,
        max_value=PAGE_MAX,
        help_text=_("Where in the new source the fact is: the page (of the PDF, 1 for the first)."),
    )
    new_source_quote = forms.CharField(
        label=_("Quote"),
        required=False,
        max_length=QUOTE_MAX_LENGTH,
        help_text=_("A short quote of the new source's words that support the fact."),
    )
    edit_summary = forms.CharField(
        label=_("Edit summary"),
        max_length=500,
        help_text=_(
            "What you changed and why, e.g. “Added the 2018 contract from the county's "
            "records release”. Shown in the public history."
        ),
        widget=forms.TextInput(attrs={"size": 60}),
    )
    base_version = VersionField(required=False)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, RecordChoiceField | SourceListField):
                field.queryset = self.linkable(field.queryset)
        for field_name, date_field in self.partial_dates.items():
            self.fields[field_name] = PartialDateField(
                label=self.instance._meta.get_field(date_field).verbose_name.capitalize()
            )
            self.initial.setdefault(field_name, getattr(self.instance, date_field[:-5], None))
        # Keep the date fields where the subclass listed them, before sources and summary.
        if self.field_order:
            order = list(self.field_order)
        else:
            order = [name for name in self.Meta.fields if name in self.fields]
            order += list(self.partial_dates)
        self.order_fields(order)
        if not self.cites_sources:
            for name in ("sources", *NEW_SOURCE_FIELDS):
                del self.fields[name]
        elif self.instance.pk:
            self.initial.setdefault(
                "sources",
                citation_lines(self.instance.sources.order_by("pk"), pinpoints_of(self.instance)),
            )

    def linkable(self, queryset):
        """The records of `queryset` this form's user may link to."""
        return linkable(queryset, self.user)

    @property
    def new_source_fields(self):
        return [self[name] for name in NEW_SOURCE_FIELDS if name in self.fields]

    @property
    def record_fields(self):
        skip = {"sources", "edit_summary", "base_version", *NEW_SOURCE_FIELDS}
        return [field for field in self if field.name not in skip and not field.is_hidden]

    def clean(self):
        cleaned = super().clean()
        self._check_base_version(cleaned.get("base_version"))
        if not self.cites_sources:
            return cleaned
        new_source = self.new_source_data()
        if new_source is None and (
            cleaned.get("new_source_page") is not None or cleaned.get("new_source_quote")
        ):
            self.add_error(
                "new_source_page",
                gettext(
                    "The page and quote belong to a new source: fill in its address or upload "
                    'it, or write them after a source above (p. 14 "…").'
                ),
            )
        if new_source is not None:
            if not (new_source["url"] or new_source["document"]):
                self.add_error(
                    "new_source_url", gettext("Give the new source's web address or upload it.")
                )
            elif new_source["url"]:
                self._check_new_source_url(new_source["url"])
            if not new_source["title"] and not self.existing_source_for(new_source["url"]):
                self.add_error("new_source_title", gettext("Give the new source's title."))
            if new_source["document"]:
                # Checked here, where the message can be shown next to the upload.
                try:
                    evidence_model()._meta.get_field("document").run_validators(
                        new_source["document"]
                    )
                except ValidationError as exc:
                    self.add_error("new_source_document", exc)
        if not cleaned.get("sources") and new_source is None and "sources" not in self.errors:
            self.add_error(
                "sources",
                gettext(
                    "Cite at least one source: every fact in the registry needs one. Pick one "
                    "already in the registry or add a new one below."
                ),
            )
        return cleaned

    def _check_base_version(self, number):
        """An edit names the version of the record it was made on, so that the services can
        refuse it when that is no longer the latest. A number that is none of this record's
        versions, or no number for a record that has versions, is a damaged form: refused
        here, rather than saved without the check."""
        record = self.instance
        if record.pk is None:
            return
        versions = record.history.all()
        if number is None:
            known = not versions.exists()
        else:
            known = versions.filter(history_id=number).exists()
        if not known:
            self.add_error(None, OUT_OF_DATE)

    def _post_clean(self):
        # Dates first, so that the model's own validation (end not before start) sees them.
        for field_name, date_field in self.partial_dates.items():
            if field_name in self.cleaned_data:
                setattr(self.instance, date_field[:-5], self.cleaned_data[field_name])
        super()._post_clean()
        self._give_a_new_record_its_slug()

    def slug_parts(self):
        """The words a new record's slug is made of (as its model's save() would make it),
        for kinds with a slug; None elsewhere."""
        return None

    def _give_a_new_record_its_slug(self):
        # The services validate the whole record (full_clean) before saving it, so a new
        # record needs its slug before the model's save() would have made one.
        record = self.instance
        if self.errors or record.pk or not hasattr(record, "slug") or record.slug:
            return
        parts = self.slug_parts()
        if parts:
            record.slug = unique_slug(type(record), *parts)

    def _update_errors(self, errors):
        # The model names its date columns (start_date); the form calls them start.
        renamed = {date_field: name for name, date_field in self.partial_dates.items()}
        if hasattr(errors, "error_dict"):
            errors = ValidationError(
                {
                    renamed.get(key, key if key in self.fields else NON_FIELD_ERRORS): value
                    for key, value in errors.error_dict.items()
                }
            )
        super()._update_errors(errors)

    def _check_new_source_url(self, url):
        """A new source whose address is already recorded is that source (the services
        cite it), if this person may cite it; otherwise it is said without naming it."""
        existing = self.existing_source_for(url)
        if (
            existing is None
            or self.linkable(evidence_model().objects.filter(pk=existing.pk)).exists()
        ):
            return
        self.add_error("new_source_url", source_address_taken(existing))

    def existing_source_for(self, url):
        return evidence_model().objects.filter(url=url).first() if url else None

    def new_source_data(self):
        """The "Add a new source" part, or None when it was left empty."""
        if not self.cites_sources:
            return None
        data = {
            "url": self.cleaned_data.get("new_source_url") or "",
            "title": self.cleaned_data.get("new_source_title") or "",
            "publisher": self.cleaned_data.get("new_source_publisher") or "",
            "publication": self.cleaned_data.get("new_source_date"),
            "kind": self.cleaned_data.get("new_source_kind")
            or evidence_model()._meta.get_field("kind").default,
            "document": self.cleaned_data.get("new_source_document"),
            "pinpoint": pinpoint(
                self.cleaned_data.get("new_source_page"),
                " ".join((self.cleaned_data.get("new_source_quote") or "").split()),
            ),
        }
        filled = data["url"] or data["title"] or data["publisher"] or data["document"]
        return data if filled else None

    def link_values(self):
        """The many-to-many values to save: {"sources": [...], "technologies": [...]}
        ("sources", and the pinpoints of its citations under PINPOINTS, only for kinds that
        cite sources)."""
        links = {}
        if self.cites_sources:
            cited = self.cleaned_data.get("sources") or CitedSources()
            links["sources"] = list(cited)
            links[PINPOINTS] = dict(cited.pinpoints)
        for name in self.link_fields:
            links[name] = list(self.cleaned_data.get(name) or [])
        return links

    def alias_names(self):
        """Alias names for kinds that have them (agencies, vendors); None elsewhere."""
        return None


def https_formfield(model_field, **kwargs):
    """The form field of a model field, web addresses typed without a scheme read as https
    (for `Meta.formfield_callback`)."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


def upper_code(value):
    """A typed code (country, region, currency, ORI) as stored: trimmed, upper case."""
    return (value or "").strip().upper()


class AliasesFormMixin(forms.Form):
    """The "Other names" of agencies and vendors: one per line, saved as alias rows."""

    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: former names, abbreviations, names used in documents."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            names = self.instance.aliases.order_by("name").values_list("name", flat=True)
            self.initial.setdefault("aliases", "\n".join(names))

    def alias_names(self):
        name = self.cleaned_data.get("name") or self.instance.name
        return split_aliases(self.cleaned_data.get("aliases"), name=name)


def split_aliases(text, *, name):
    """Alias lines, without blanks, duplicates (any case) or the record's own name."""
    seen, aliases = {name.casefold()}, []
    for line in (text or "").splitlines():
        alias = line.strip()
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(alias[:200])
    return aliases


def partial_or_none(date, precision):
    return PartialDate(date, precision or DatePrecision.DAY) if date else None
