"""Form fields for people, not databases: dates as people write them, records picked by
name (with autocomplete when JavaScript runs, a plain text match when it does not)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from apps.core.history import PAGE_MAX, QUOTE_MAX_LENGTH, pinpoint
from apps.core.partial_dates import PartialDate

from .numbers import record_number
from .registry import evidence_model

IDENTIFIER_RE = re.compile(r"\[(?P<key>[^\[\]]+)\]\s*$")
no_null_characters = ProhibitNullCharactersValidator()


class PartialDateField(forms.Field):
    """ "2017", "2017-05" or "2017-05-20" → PartialDate (None when empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("YYYY, YYYY-MM or YYYY-MM-DD: as much as is known, e.g. 2017 or 2017-05."),
        )
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"placeholder": _("e.g. 2017-05"), "inputmode": "numeric", "maxlength": 10}
            ),
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return value.iso if isinstance(value, PartialDate) else value

    def to_python(self, value):
        text = (value or "").strip()
        if len(text) > 10:
            raise ValidationError(gettext("A date is at most 10 characters: YYYY-MM-DD."))
        return PartialDate.parse(text) if text else None


def linkable(queryset, user):
    """The records of `queryset` that `user` may link to (see PublishableQuerySet
    .linkable_by). Without a user — a reviewer replaying a stored change — anything not
    withdrawn. Kinds without visibility (technologies) are always linkable."""
    if not hasattr(queryset, "linkable_by"):
        return queryset
    return queryset.linkable_by(user) if user is not None else queryset.not_withdrawn()


def record_label(record):
    """How a record is written in a picker: its name and, in brackets, its identifier."""
    key = getattr(record, "slug", None) or record.pk
    return f"{record} [{key}]"


# The noun of a picker that takes any kind (merging), translated by _noun like the kinds'
# own nouns (their models' verbose names).
RECORD_NOUN = gettext_noop("record")


def _noun(noun):
    """The kind's noun in the active language: callers pass a lazy translation or a plain
    English word, which the catalogue translates when it holds it."""
    return gettext(str(noun))


class RecordChoiceField(forms.Field):
    """Picks one record by typing its name, an alias, or its identifier in brackets (what the
    autocomplete fills in: "Washington County Sheriff's Office [washington-county-...]").

    A name that matches several records is an error that lists them with their identifiers,
    so the person can pick one without JavaScript. The form narrows `queryset` to what its
    user may link to (RecordForm.__init__), so no route — name, identifier, hint — reaches
    a record the person may not see."""

    widget = forms.TextInput

    def __init__(self, *, queryset, autocomplete, noun, **kwargs):
        self.queryset = queryset
        self.noun = noun
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "list": f"{autocomplete}-options",
                "data-autocomplete": reverse_lazy("editing:autocomplete", args=[autocomplete]),
                "autocomplete": "off",
            }
        )

    def prepare_value(self, value):
        if hasattr(value, "pk"):
            return record_label(value)
        number = record_number(value) if isinstance(value, int | str) else None
        if number is not None:
            record = self.queryset.filter(pk=number).first()
            return record_label(record) if record else value
        return value

    def clean(self, value):
        text = (value or "").strip()
        no_null_characters(text)  # PostgreSQL cannot even compare a text with one
        if not text:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        match = IDENTIFIER_RE.search(text)
        if match:
            key = match["key"].strip()
            number = record_number(key)
            lookup = Q(pk=number) if number is not None else Q()
            if hasattr(self.queryset.model, "slug"):
                lookup |= Q(slug=key)
            found = list(self.queryset.filter(lookup)[:2]) if lookup else []
            if len(found) == 1:
                return found[0]
            raise ValidationError(
                gettext("No %(noun)s has the identifier “%(key)s”.")
                % {"noun": _noun(self.noun), "key": key}
            )
        return self.match_name(text)

    def match_name(self, text):
        model = self.queryset.model
        lookup = Q(name__iexact=text)
        if hasattr(model, "slug"):
            lookup |= Q(slug=text)
        if hasattr(model, "aliases"):
            lookup |= Q(aliases__name__iexact=text)
        found = list(self.queryset.filter(lookup).distinct()[:6])
        if len(found) == 1:
            return found[0]
        if found:
            choices = "; ".join(record_label(record) for record in found[:5])
            raise ValidationError(
                gettext(
                    "Several %(noun)s records are called “%(name)s”. Pick one by copying it "
                    "with its identifier: %(choices)s."
                )
                % {"noun": _noun(self.noun), "name": text, "choices": choices}
            )
        similar = list(self.queryset.filter(name__icontains=text)[:5])
        if similar:
            message = gettext("No %(noun)s is called “%(name)s”. Did you mean: %(similar)s?")
        else:
            message = gettext(
                "No %(noun)s is called “%(name)s”. Check the spelling, or add the %(noun)s first."
            )
        raise ValidationError(
            message
            % {
                "noun": _noun(self.noun),
                "name": text,
                "similar": "; ".join(record_label(record) for record in similar),
            }
        )


def source_address_taken(source):
    """Why an address cannot be cited or added when `source`, which the person may not see,
    already has it: never its title, which may be someone's unreviewed work."""
    if source.is_withdrawn:
        return gettext(
            "A source with this address was withdrawn from the registry: a reviewer can restore it."
        )
    return gettext(
        "This address is already recorded and under review: it can be cited once a reviewer "
        "publishes it."
    )


# After a cited source's address or number, where in it the fact is: `p. 14` (or `page 14`)
# and/or a short quote in quotation marks, e.g. `#12 p. 14 "no public hearing was held"`.
PINPOINT_RE = re.compile(
    r"""^(?:(?:p\.?|pp\.|page)\s*(?P<page>\d+))?\s*(?:["“”](?P<quote>.*)["“”])?$""",
    re.IGNORECASE,
)
# pp. 14-15, p. 14–16, pages 3 to 5: a range, which a pinpoint is not.
PAGE_RANGE_RE = re.compile(r"^(?:pp?\.?|pages?)\s*\d+\s*(?:-|–|—|to)\s*\d+", re.IGNORECASE)
PINPOINT_HELP = _(
    "After a source, say where in it the fact is: its page as p. 14 and a short quote in "
    'quotation marks, e.g. #12 p. 14 "no public hearing was held".'
)


def parse_pinpoint(text):
    """`p. 14 "quote"` (either part may be left out) → pinpoint(page, quote). Raises
    ValidationError, in words for the person who typed it."""
    text = text.strip()
    match = PINPOINT_RE.match(text)
    if not text:
        return pinpoint()
    if not match or (match["page"] is None and match["quote"] is None):
        if PAGE_RANGE_RE.match(text):
            raise ValidationError(
                gettext(
                    "“%(text)s”: a citation names one page, the one that holds the quote "
                    "(p. 14). For a fact that spans pages, cite the page where it starts, or "
                    "cite the source once per page."
                )
                % {"text": text}
            )
        raise ValidationError(
            gettext("“%(text)s” is not a page and quote. %(help)s")
            % {"text": text, "help": PINPOINT_HELP}
        )
    page = int(match["page"]) if match["page"] is not None else None
    quote = " ".join((match["quote"] or "").split())
    if page is not None and not 1 <= page <= PAGE_MAX:
        raise ValidationError(
            gettext("A page is a number from 1 to %(max)s, not %(page)s.")
            % {"max": PAGE_MAX, "page": page}
        )
    if match["quote"] is not None and not quote:
        raise ValidationError(
            gettext("The quotation marks hold no quote: remove them or fill them in.")
        )
    if len(quote) > QUOTE_MAX_LENGTH:
        raise ValidationError(
            gettext(
                "A quote is at most %(max)s characters (this one has %(count)s): quote the "
                "words that support the fact, not the whole passage."
            )
            % {"max": QUOTE_MAX_LENGTH, "count": len(quote)}
        )
    return pinpoint(page, quote)


def pinpoint_text(pin):
    """A pinpoint as it is written after its source: `p. 14 "quote"`, or ""."""
    parts = []
    if pin and pin.get("page") is not None:
        parts.append(f"p. {pin['page']}")
    if pin and pin.get("quote"):
        parts.append(f'"{pin["quote"]}"')
    return " ".join(parts)


def citation_lines(sources, pinpoints=None):
    """The text of a sources field: one line per source (its address or #number), with its
    pinpoint (PINPOINTS) when it has one."""
    pinpoints = pinpoints or {}
    lines = []
    for source in sources:
        pin = pinpoint_text(pinpoints.get(str(source.pk)))
        lines.append(f"{source.citation} {pin}" if pin else source.citation)
    return "\n".join(lines)


class CitedSources(list):
    """The sources a form's field cites (a list of sources, in the order given), with their
    `pinpoints` (PINPOINTS)."""

    def __init__(self, sources=(), pinpoints=None):
        super().__init__(sources)
        self.pinpoints = pinpoints or {}


class SourceListField(forms.CharField):
    """The sources a record cites, one per line: a URL or a source number (#123), followed,
    when `pinpoints` is on, by where in the source the fact is (PINPOINT_HELP). Cleans to
    CitedSources."""

    widget = forms.Textarea(
        attrs={
            "rows": 3,
            "data-autocomplete-lines": "sources",
            # The words static/js/autocomplete.js puts around the box, in the page's language.
            "data-search-label": _("Find a source by title or address"),
            "data-search-help": _("Pick a suggestion to add it to the list below."),
        }
    )
    _queryset = None

    @property
    def queryset(self):
        """What may be cited; RecordForm narrows it to what the form's user may link to.
        Looked up when first used: fields are built when forms are imported, which may be
        before the apps have registered their kinds."""
        if self._queryset is None:
            return evidence_model().objects.not_withdrawn()
        return self._queryset

    @queryset.setter
    def queryset(self, value):
        self._queryset = value

    def __init__(self, *, pinpoints=False, **kwargs):
        self.pinpoints = pinpoints
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _(
                "One per line: the source's web address, or its number as #123, then its "
                'page and a short quote: p. 14 "…". To cite a source that is not in the '
                "registry yet, fill in “Add a new source”."
            )
            if pinpoints
            else _(
                "One per line: the source's web address, or its number as #123. To cite a "
                "source that is not in the registry yet, fill in “Add a new source”."
            ),
        )
        super().__init__(**kwargs)
        self.widget.attrs["data-autocomplete"] = reverse_lazy(
            "editing:autocomplete", args=["sources"]
        )

    def prepare_value(self, value):
        if isinstance(value, list | tuple) and value and hasattr(value[0], "pk"):
            return citation_lines(value, getattr(value, "pinpoints", None))
        return value

    def to_python(self, value):
        text = super().to_python(value)
        no_null_characters(text)  # checked before the lines are looked up
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        citable = self.queryset
        sources, pinpoints, unknown, problems = [], {}, [], []
        for line in lines:
            key, _space, rest = line.partition(" ")
            key = key.split("\t")[0]
            if rest.strip() and not self.pinpoints:
                problems.append(
                    gettext("%(key)s: give only the address or number, one per line.")
                    % {"key": key}
                )
                continue
            try:
                pin = parse_pinpoint(rest)
            except ValidationError as exc:
                problems.append(f"{key}: {exc.messages[0]}")
                continue
            if key.startswith("#"):
                number = record_number(key[1:])
                source = citable.filter(pk=number).first() if number is not None else None
            else:
                source = citable.filter(url=key).first()
                if source is None and (taken := evidence_model().objects.filter(url=key).first()):
                    # The person typed the address: say why it cannot be cited, not whose.
                    problems.append(f"{key}: {source_address_taken(taken)}")
                    continue
            if source is None:
                unknown.append(line)
                continue
            has_pin = pin["page"] is not None or pin["quote"]
            if source in sources:
                if has_pin and pinpoints.get(str(source.pk)) not in (None, pin):
                    problems.append(
                        gettext(
                            "%(key)s is listed twice with different pages or quotes: a record "
                            "cites a source once, with the one page and quote that best "
                            "support it."
                        )
                        % {"key": key}
                    )
                elif has_pin:
                    pinpoints[str(source.pk)] = pin
                continue
            sources.append(source)
            if has_pin:
                pinpoints[str(source.pk)] = pin
        errors = (
            [
                gettext(
                    "Not in the registry: %(lines)s. Add a new source below, or check the address."
                )
                % {"lines": "; ".join(unknown)}
            ]
            if unknown
            else []
        )
        if errors or problems:
            raise ValidationError(errors + problems)
        return CitedSources(sources, pinpoints)
