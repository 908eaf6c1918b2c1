"""Countries and regions as people type them: `US`, `USA`, `United States`; `OR`, `US-OR`,
`Oregon`, `ciudad de mexico`. Resolved with pycountry's ISO 3166 data, ignoring case and
diacritics; what cannot be resolved (or could be several places) raises ValidationError with
a message that says what was typed and what would work."""

from dataclasses import dataclass
from functools import cache

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext

from .models import DEFAULT_COUNTRY, country_name, country_names
from .search import fold


@dataclass(frozen=True)
class Region:
    """An ISO 3166-2 subdivision: `country` and `code` as stored on agencies (US, OR)."""

    country: str
    code: str
    name: str

    @property
    def full_code(self):
        return f"{self.country}-{self.code}"

    def __str__(self):
        return f"{self.name} ({self.full_code})"


class Ambiguous(ValidationError):
    """A value that names several places or records: the 400 lists them. `candidates` are
    (label, value to use instead, the record's page or "")."""

    def __init__(self, message, candidates):
        super().__init__(message, code="ambiguous")
        self.candidates = candidates


@cache
def _countries():
    """{folded code or name: alpha-2}, with the names in each of the site's languages (a
    reader of the Spanish pages types "México" or "Estados Unidos")."""
    index = {}
    translations = [country_names(code) for code, _name in settings.LANGUAGES]
    for country in pycountry.countries:
        for key in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, key, None)
            if value:
                index.setdefault(fold(value), country.alpha_2)
        for names in translations:
            index.setdefault(fold(names.gettext(country.name)), country.alpha_2)
    return index


@cache
def _regions():
    """({full code: Region}, {code without country: [Region]}, {folded name: [Region]})"""
    by_code, by_bare_code, by_name = {}, {}, {}
    for subdivision in pycountry.subdivisions:
        country, _, code = subdivision.code.partition("-")
        region = Region(country, code, subdivision.name)
        by_code[subdivision.code.upper()] = region
        by_bare_code.setdefault(code.upper(), []).append(region)
        by_name.setdefault(fold(subdivision.name), []).append(region)
    return by_code, by_bare_code, by_name


def resolve_country(text):
    """The alpha-2 code of the country `text` names (a code or a name)."""
    code = _countries().get(fold(text))
    if code is None:
        raise ValidationError(
            gettext(
                "No country is called or coded “%(text)s”: use a code such as US or a name such "
                "as United States."
            )
            % {"text": text}
        )
    return code


def resolve_region(text, countries=()):
    """The Region `text` names, looked for in `countries` when given; otherwise in the
    registry's default country first, then anywhere if only one place has that code or name."""
    by_code, by_bare_code, by_name = _regions()
    typed = text.strip()
    full = by_code.get(typed.upper()) if "-" in typed else None
    if full:
        if countries and full.country not in countries:
            raise ValidationError(
                gettext("“%(typed)s” is in %(country)s, not in the country chosen (%(chosen)s).")
                % {
                    "typed": typed,
                    "country": country_name(full.country),
                    "chosen": ", ".join(country_name(c) for c in countries),
                }
            )
        return full
    by_this_code = by_bare_code.get(typed.upper(), [])
    by_this_name = by_name.get(fold(typed), [])
    scope = tuple(countries) or (DEFAULT_COUNTRY,)
    # A bare code or a name within the chosen countries (or the default one); then, with no
    # country chosen, a name anywhere if only one place has it. A bare code abroad is not
    # taken on its own (ZZ is a region of Côte d'Ivoire, not a typo to match): its places
    # are offered instead.
    for matches in (by_this_code, by_this_name):
        found = [r for r in matches if r.country in scope]
        if len(found) == 1:
            return found[0]
        if found:
            raise _ambiguous(typed, found)
    if not countries and len(by_this_name) == 1:
        return by_this_name[0]
    if not countries and by_this_name:
        raise _ambiguous(typed, by_this_name)
    where = ", ".join(country_name(c) for c in scope)
    if by_this_code:
        raise Ambiguous(
            gettext(
                "No region of %(where)s has the code “%(typed)s”; elsewhere it means "
                "%(elsewhere)s: give the full code, or choose the country."
            )
            % {
                "where": where,
                "typed": typed,
                "elsewhere": ", ".join(
                    str(r) for r in sorted(by_this_code, key=lambda r: r.full_code)
                ),
            },
            _candidates(by_this_code),
        )
    if countries:
        message = gettext(
            "No region of %(where)s is called or coded “%(typed)s”: use a code such as OR or "
            "US-OR, or a name such as Oregon."
        )
    else:
        message = gettext(
            "No region is called or coded “%(typed)s”: use a code such as OR or US-OR, or a "
            "name such as Oregon."
        )
    raise ValidationError(message % {"where": where, "typed": typed})


def region_by_code(country, code):
    """The Region with exactly these codes (US, OR; any case), or None: for addresses such as
    /regions/US/OR/, which take codes only, not names."""
    by_code, _, _ = _regions()
    return by_code.get(f"{country}-{code}".upper())


def region_code(text, country):
    """The bare ISO 3166-2 code (OR) of the region of `country` that `text` names, typed as a
    code (OR), a full code (US-OR) or a name (Oregon), as stored on agencies; "" for blank.
    Forms and imports use it, so a place is typed alike everywhere."""
    if not (text or "").strip():
        return ""
    return resolve_region(text, (country,)).code


def _candidates(regions):
    return [
        (f"{r.name}, {country_name(r.country)} ({r.full_code})", r.full_code, "")
        for r in sorted(regions, key=lambda r: r.full_code)
    ]


def _ambiguous(typed, regions):
    return Ambiguous(
        gettext("“%(typed)s” could be %(count)s places: give one of their codes.")
        % {"typed": typed, "count": len(regions)},
        _candidates(regions),
    )


def region_options(pairs):
    """[(full code, label)] for (country, code) pairs, e.g. the regions that have agencies."""
    by_code, _, _ = _regions()
    options = []
    for country, code in pairs:
        region = by_code.get(f"{country}-{code}".upper())
        if region:
            options.append((region.full_code, f"{region.name}, {country_name(country)}"))
    return sorted(options, key=lambda option: option[1])


def country_options():
    """[(code, name)] of every country, named and sorted in the page's language."""
    return _country_options(get_language())


@cache
def _country_options(language):
    names = country_names(language)
    return sorted(
        ((country.alpha_2, names.gettext(country.name)) for country in pycountry.countries),
        key=lambda option: fold(option[1]),
    )
