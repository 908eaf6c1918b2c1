"""Building blocks shared by every list's FilterSet.

Each list has one FilterSet (in its app's filters.py) used by the HTML page, the CSV and JSON
exports and, later, the API. Parameter names and values are readable and stable, and take
what people type: a record's slug, name or alias; a place's code or name, in any case and
with or without accents. A repeated parameter means "any of"
(`?region=OR&region=WA&status=active&status=pilot`); a parameter that takes one value
(`sort`, `q`, `amount_min`) given twice is an error rather than a silent choice. `q` searches
the text of every list."""

import re
from functools import reduce
from html import escape
from operator import or_

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import DateField, Exists, F, OuterRef, Q
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import YesNoUnknown, unknown_date_last
from .places import Ambiguous, country_options, resolve_country, resolve_region
from .search import fold, folded_equals, index_filter, text_search

MAX_VALUES = 20  # per parameter: more "any of" values than anyone types

# Default labels, lazy: shown in the language of the page that shows them.
ANY = _("Any")
COUNTRY = _("Country")
REGION = _("Region")
ACTIVE_IN_YEAR = _("Active in year")


def given(values):
    """The non-blank values of a repeated parameter, in order."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [value for value in values if isinstance(value, str) and value.strip()]


def datalist_options(options):
    """The <option>s of a datalist of [(value, label)], escaped as the template would: a
    list page's country and region suggestions are 300 options, which took 4 ms through a
    template loop or format_html and take a tenth of that with the standard escape (the one
    Django's escape calls)."""
    return mark_safe(  # nosec B308 B703 # each value and label escaped (quotes too) below
        "".join(
            f'<option value="{escape(str(value))}">{escape(str(label))}</option>'
            for value, label in options
        )
    )


class AnyOfWidget(forms.Widget):
    """One input per value of a repeated parameter plus an empty one to add another: a plain
    GET form keeps every value on resubmission, without JavaScript. `kind` is "text" (with a
    datalist of `options` as suggestions) or "select" (picking from `options`). `options` is
    a callable returning [(value, label)], read only when the form is shown."""

    # In the app, not templates/: form widgets render with the app template dirs only.
    template_name = "core/widgets/any_of.html"

    def __init__(self, kind="text", options=None, empty_label=ANY, placeholder="", attrs=None):
        super().__init__(attrs)
        self.kind, self.options = kind, options
        self.empty_label, self.placeholder = empty_label, placeholder

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        return given(data.get(name))

    def value_omitted_from_data(self, data, files, name):
        return False

    def format_value(self, value):
        return given(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = list(self.options()) if self.options else []
        known = {str(option_value) for option_value, _label in options}
        base_id = context["widget"]["attrs"].get("id", "")
        inputs = []
        for index, current in enumerate([*given(value), ""]):
            inputs.append(
                {
                    "id": base_id if index == 0 else f"{base_id}_{index}",
                    "value": current,
                    "unlisted": bool(current) and current not in known,
                    "another": index > 0,
                }
            )
        context["widget"].update(
            kind=self.kind,
            inputs=inputs,
            options=options,
            datalist_id=f"{base_id}_options",
            datalist_options=self.kind != "select" and datalist_options(options),
            empty_label=self.empty_label,
            placeholder=self.placeholder,
            label=getattr(self, "label", None) or name,
        )
        return context


class AnyOfField(forms.Field):
    """Every value of a repeated parameter, each cleaned by `item` (a form field); blank
    values are dropped. Cleans to a list, empty when the parameter is absent."""

    widget = AnyOfWidget

    def __init__(self, *, item, item_label=str, **kwargs):
        self.item, self.item_label = item, item_label
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.label = self.label  # names the extra boxes for screen readers

    def to_python(self, value):
        return given(value)

    def prepare_value(self, value):
        # A choice typed as its label (status=Active) shows as its box ticked.
        if isinstance(self.item, LabelChoiceField):
            return [self.item.to_python(one) for one in given(value)]
        return value

    def clean(self, value):
        values = self.to_python(value)
        if len(values) > MAX_VALUES:
            raise ValidationError(gettext("Give at most %(count)s values.") % {"count": MAX_VALUES})
        cleaned, errors = [], []
        for raw in values:
            try:
                cleaned.append(self.item.clean(raw))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


class RegionField(AnyOfField):
    """Regions as typed; RegistryFilterForm resolves them once the `country_param` filter
    (if any) is known, since `OR` means Oregon in the US but not in Namibia."""

    def __init__(self, *, country_param=None, **kwargs):
        self.country_param = country_param
        kwargs.setdefault("item", forms.CharField(max_length=100))
        super().__init__(**kwargs)

    def resolve(self, values, countries):
        resolved, errors = [], []
        for value in values:
            try:
                resolved.append(resolve_region(value, countries))
            except ValidationError as error:
                error.typed = value
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return resolved


class CountryItemField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=100, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        try:
            return resolve_country(text)
        except ValidationError as error:
            error.typed = text
            raise


class StrictIntegerField(forms.IntegerField):
    """Digits only: Django's IntegerField takes "2019.0" as 2019, and a year of 2019.5
    must be refused, not rounded."""

    re_decimal = re.compile(r"(?!)")


ORI = re.compile(r"^[A-Z]{2}[A-Z0-9]{7}$")


class RecordItemField(forms.CharField):
    """A published record by slug, (agencies) ORI, or name or alias ignoring case and
    accents. A name several records share is an Ambiguous error listing them."""

    def __init__(self, *, queryset, noun, noun_plural=None, ori=False, **kwargs):
        self.queryset, self.noun, self.ori = queryset, noun, ori
        self.noun_plural = noun_plural or (f"{noun[:-1]}ies" if noun.endswith("y") else f"{noun}s")
        super().__init__(max_length=200, **kwargs)

    def by_name(self, text):
        model = self.queryset.model
        condition = Q(folded_equals("name", text))
        field_names = {f.name for f in model._meta.get_fields()}
        if "aliases" in field_names:
            relation = model._meta.get_field("aliases")
            aliases = relation.related_model.objects.filter(
                **{relation.field.name: OuterRef("pk")}
            ).filter(folded_equals("name", text))
            condition |= Q(Exists(aliases))
        matches = self.queryset.all().filter(condition)
        if "merged_into" in field_names:
            matches = matches.filter(merged_into__isnull=True)
        return list(matches.order_by("name", "pk")[:MAX_VALUES])

    def clean(self, value):
        text = super().clean(value)
        record = self.queryset.all().filter(slug=text).first()
        if record is None and self.ori and ORI.match(text.upper()):
            record = self.queryset.all().filter(ori=text.upper()).first()
        if record is not None:
            return record
        matches = self.by_name(text)
        if len(matches) == 1:
            return matches[0]
        if matches:
            error = Ambiguous(
                gettext("“%(text)s” is the name of %(count)s %(records)s: choose one.")
                % {"text": text, "count": len(matches), "records": self.noun_plural},
                [(record_label(m), m.slug, m.get_absolute_url()) for m in matches],
            )
        else:
            if self.ori:
                message = gettext("No %(record)s has the identifier, name or ORI “%(text)s”.")
            else:
                message = gettext("No %(record)s has the identifier or name “%(text)s”.")
            error = ValidationError(message % {"record": self.noun, "text": text})
        error.typed = text
        raise error


def record_label(record):
    """A record as a suggestion or a candidate shows: its name, and where an agency is."""
    place = getattr(record, "place", "")
    return f"{record.name} — {place}" if place else str(record)


class RegistryFilterForm(forms.Form):
    """The form of every RegistryFilterSet: resolves regions within the chosen countries, and
    refuses a single-valued parameter given twice."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if not isinstance(field, AnyOfField) and len(self.given_values(name)) > 1:
                self.add_error(name, gettext("Give this parameter once: it takes a single value."))
            if isinstance(field, RegionField) and cleaned.get(name):
                if field.country_param and field.country_param in self.errors:
                    continue  # the country's error says it all
                countries = tuple(cleaned.get(field.country_param) or ())
                try:
                    cleaned[name] = field.resolve(cleaned[name], countries)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def given_values(self, name):
        return self.data.getlist(name) if hasattr(self.data, "getlist") else []


class AnyOfFilter(django_filters.Filter):
    """A filter matching any of a repeated parameter's values: `field_name` in the cleaned
    values (`distinct=True` for many-to-many paths), or `method(queryset, name, values)`."""

    field_class = AnyOfField

    def filter(self, queryset, value):
        if not value:
            return queryset
        queryset = queryset.filter(**{f"{self.field_name}__in": value})
        return queryset.distinct() if self.distinct else queryset


class LabelChoiceField(forms.ChoiceField):
    """A choice by its value or its label, in any case (`active`, `Active`, `ACTIVE`), as the
    import takes them."""

    def to_python(self, value):
        text = super().to_python(value).strip()
        folded = fold(text)
        for choice_value, choice_label in self.choices:
            if folded in (fold(str(choice_value)), fold(str(choice_label))):
                return str(choice_value)
        return text


def choice_filter(choices, label, field_name=None, **kwargs):
    """Any of a fixed set of choices: checkboxes when there are a few, else repeatable
    drop-downs."""
    choices = list(choices)
    labels = dict(choices)
    widget = (
        forms.CheckboxSelectMultiple(choices=choices)
        if len(choices) <= 6
        else AnyOfWidget(kind="select", options=lambda: choices)
    )
    return AnyOfFilter(
        field_name=field_name,
        label=label,
        item=LabelChoiceField(choices=choices),
        item_label=lambda value: labels.get(value, value),
        widget=widget,
        **kwargs,
    )


def record_filter(
    queryset, noun, label, field_name=None, ori=False, options=None, widget_kind="text", **kw
):
    """Any of some records, each given by slug, name or alias (or ORI for agencies); `options`
    lists suggestions (value, label)."""
    return AnyOfFilter(
        field_name=field_name,
        label=label,
        item=RecordItemField(queryset=queryset, noun=noun, ori=ori),
        widget=AnyOfWidget(
            kind=widget_kind,
            options=options or (lambda: record_options(queryset)),
            placeholder=_("name or identifier"),
        ),
        **kw,
    )


# Suggestions are written into every list page; past this many records (a registry of
# thousands of agencies) the page would carry them all on each visit, so it offers none and
# a typed name, alias or identifier still finds the record.
RECORD_SUGGESTION_LIMIT = 500


# What a suggestion's label reads (record_label): the name, and where an agency is.
_LABEL_FIELDS = ("slug", "name", "locality", "region", "country")


def record_options(queryset):
    # Only the fields the label reads (whole records, descriptions and all, cost each list
    # page tens of milliseconds), and none past the limit: the query asks whether there is a
    # record beyond it (one index entry) before reading any, where reading 501 records to
    # drop them cost a list page 3 queries of 501 rows at 20,000 agencies.
    model_fields = {field.name for field in queryset.model._meta.concrete_fields}
    beyond_limit = queryset.order_by().values("pk")[RECORD_SUGGESTION_LIMIT:]
    records = (
        queryset.select_related(None)
        .filter(~Exists(beyond_limit))
        .only(*(name for name in _LABEL_FIELDS if name in model_fields))
        .order_by("name")
    )
    return [(record.slug, record_label(record)) for record in records]


def country_filter(field_name, label=COUNTRY, **kwargs):
    return AnyOfFilter(
        field_name=field_name,
        label=label,
        item=CountryItemField(),
        item_label=lambda code: dict(country_options()).get(code, code),
        widget=AnyOfWidget(options=country_options, placeholder=_("e.g. US or United States")),
        help_text=_("A code or a name, e.g. US or United States."),
        **kwargs,
    )


def region_q(regions, prefix=""):
    """Records whose `{prefix}country` and `{prefix}region` are any of `regions`."""
    return reduce(
        or_,
        (Q(**{f"{prefix}country": r.country, f"{prefix}region__iexact": r.code}) for r in regions),
    )


class RegionFilter(django_filters.Filter):
    """Any of some regions, as codes (OR, US-OR) or names (Oregon, Ciudad de Mexico); with a
    `country_param` they are looked for in the countries it names. `prefix` leads to the
    model's country and region columns (agency__). `options` is a callable returning the
    [(full code, label)] suggested in the box: the domain app that knows which regions have
    records passes it (the agencies app's agency_region_options)."""

    field_class = RegionField

    def __init__(self, *, options=None, prefix="", country_param="country", label=REGION, **kwargs):
        self.prefix = prefix
        kwargs.setdefault("field_name", f"{prefix}region")
        kwargs.setdefault("help_text", _("A code or a name, e.g. OR, US-OR or Oregon."))
        kwargs.setdefault(
            "widget",
            AnyOfWidget(options=options, placeholder=_("e.g. OR or Oregon")),
        )
        super().__init__(label=label, country_param=country_param, **kwargs)

    def filter(self, queryset, value):
        return queryset.filter(region_q(value, self.prefix)) if value else queryset


def tri_state_filter(label, field_name=None):
    return choice_filter(YesNoUnknown.choices, label, field_name=field_name)


def year_filter(method, label=ACTIVE_IN_YEAR, help_text=""):
    """Any of some years (whole numbers), applied by `method(queryset, name, [years])`."""
    return AnyOfFilter(
        method=method,
        label=label,
        item=StrictIntegerField(min_value=1900, max_value=2100),
        help_text=help_text,
        widget=AnyOfWidget(placeholder=_("e.g. 2018")),
    )


def any_of(queryset, values, build):
    """The union of build(queryset, value) over `values`: for filters (years) that are a
    queryset method rather than a column."""
    return reduce(or_, (build(queryset, value) for value in values))


class SearchFilter(django_filters.CharFilter):
    """`q`: for a kind in the site's search index (apps/records/search.py), the records the
    index finds, as /search/ does (`indexed`); otherwise every word must appear, ignoring
    case and accents, in one of `fields` or of `related` (see apps.core.search.text_search).
    `indexed=False` for a filter on one field (a records request's requester) and for a kind
    the index does not hold (response deadlines)."""

    def __init__(self, *, fields, related=(), help_text="", indexed=True, label=None, **kwargs):
        self.fields, self.related, self.indexed = fields, related, indexed
        if indexed:
            typo = _("A name spelt with a typo is found too.")
            # Lazy: the list's own help (a lazy string too) and this one, in the page's language.
            help_text = format_lazy("{} {}", help_text, typo) if help_text else typo
        super().__init__(
            label=_("Search") if label is None else label,
            max_length=200,
            help_text=help_text,
            widget=forms.TextInput(attrs={"type": "search"}),
            **kwargs,
        )

    def filter(self, queryset, value):
        if not value or not value.strip():
            return queryset
        found = index_filter(queryset, value) if self.indexed else None
        if found is not None:
            return found
        return queryset.filter(text_search(value, self.fields, self.related))


class RegistryFilterSet(django_filters.FilterSet):
    """A FilterSet with a `sort` parameter.

    Subclasses set `sort_options = {"key": ("Label", "field", ...)}` and `default_sort`. A key
    starting with "-" sorts descending. Unknown dates sort last either way, and the primary
    key breaks ties. A field given as an expression (an OrderBy) keeps its own direction.
    """

    sort_options: dict = {}
    default_sort = ""

    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=[], method="sort_queryset", empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["sort"].extra["choices"] = [
            (key, label) for key, (label, *_fields) in self.sort_options.items()
        ]

    def get_form_class(self):
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        return type(f"{type(self).__name__}Form", (RegistryFilterForm,), fields)

    def sort_queryset(self, queryset, name, value):
        return queryset  # Applied in filter_queryset so that the default applies too.

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*self.ordering())

    def sort_in_effect(self):
        """The key of the sort the list is in: the one asked for, or the default."""
        key = self.form.cleaned_data.get("sort") or self.default_sort
        return key if key in self.sort_options else self.default_sort

    def ordering(self):
        return self.ordering_for(self.sort_in_effect())

    def ordering_for(self, key):
        _label, *fields = self.sort_options.get(key, self.sort_options[self.default_sort])
        descending = key.startswith("-")
        ordering = []
        for field in fields:
            if not isinstance(field, str):
                ordering.append(field)
                continue
            field_descending = descending != field.startswith("-")
            expression = self.unknown_last(field.lstrip("-"), field_descending)
            ordering.append(
                expression.desc(nulls_last=True)
                if field_descending
                else expression.asc(nulls_last=True)
            )
        # Ties in creation order whichever way the list runs: pages never repeat or skip a
        # row, and an export re-imported elsewhere (ids given in file order) sorts alike.
        ordering.append(F("pk").asc())
        return ordering

    def unknown_last(self, name, descending):
        """F(name), or for a nullable date column of the model itself COALESCE(name, a date
        past every real one in the direction of the sort): the same order as NULLS LAST, and
        one the lists' expression indexes match and keyset pagination seeks through with a
        range, which a NULL key would turn into an OR the planner cannot (apps.core.pagination).
        """
        try:
            field = self._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            return F(name)
        if not field.null or type(field) is not DateField:
            return F(name)
        return unknown_date_last(name, descending)


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def yes_no_filter(label, method, help_text=""):
    """`?param=yes` or `no`: whether a record meets a condition, applied by `method`, which
    passes the condition to yes_or_no()."""
    return choice_filter(YES_NO, label, method=method, help_text=help_text)


def yes_or_no(queryset, answers, condition):
    """The records meeting `condition` for "yes", the others for "no", all for both."""
    if set(answers) == {"yes", "no"}:
        return queryset
    return queryset.filter(condition) if "yes" in answers else queryset.exclude(condition)
