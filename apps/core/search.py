"""Case- and accent-insensitive matching that works alike on SQLite and PostgreSQL.

Both sides of a comparison are folded the same way: Latin letters with diacritics lose them
(é → e, Ł → l), the common ligatures are spelled out (ß → ss, æ → ae, œ → oe) and the text
is lowercased. In Python that is `fold()`; in SQL it is `Fold()`, which PostgreSQL computes
with `lower(unaccent(…))` (the unaccent extension, created by apps/core's migration) and
SQLite with a Python function registered on each connection (apps/core/apps.py) that runs
`fold()` itself. unaccent is a C function: `lower(translate(…))` with a table of every
accented letter took 11 s for 50,000 rows where unaccent takes 0.13 s, which let one
anonymous search tie up the database for seconds.

Limits, documented in the README: only Latin letters are stripped of diacritics (unaccent's
rules and this module's table agree on those); on PostgreSQL, lowercasing letters outside
ASCII follows the database's locale (a `C` locale lowercases only A–Z). A later issue brings
full-text search behind the same `q` parameter."""

import re
import unicodedata
from functools import reduce
from operator import and_, or_

from django.db.models import CharField, Exists, Func, OuterRef, Q
from django.db.models.functions import Lower
from django.db.models.lookups import Contains, Exact

SQLITE_FUNCTION = "registry_fold"

# Letters with no Unicode decomposition to a base letter.
_EXTRA = {"ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ħ": "h", "Ħ": "h"}
_EXTRA.update({"ı": "i", "ŧ": "t", "Ŧ": "t", "ð": "d", "Ð": "d"})
# Ligatures, spelled out as PostgreSQL's unaccent does.
_EXTRA.update({"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ĳ": "ij", "Ĳ": "ij"})


def _diacritic_table():
    """{accented Latin letter or ligature: its base letter(s), lowercase}, for U+00C0–U+024F
    and U+1E00–U+1EFF (Latin-1 Supplement, Extended-A and -B, Extended Additional)."""
    table = dict(_EXTRA)
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for code in range(start, end):
            char = chr(code)
            base = unicodedata.normalize("NFKD", char)[:1]
            if base.isascii() and base.isalpha() and base != char:
                table.setdefault(char, base.lower())
    return table


_TRANSLATION = str.maketrans(_diacritic_table())
_TRANSLATED = re.compile("[" + "".join(re.escape(chr(code)) for code in _TRANSLATION) + "]")
_SPACES = re.compile(r"\s+")


def fold(text):
    """`text` without diacritics on Latin letters, lowercased, spaces collapsed:
    fold("Ciudad de  México") == "ciudad de mexico"."""
    if text is None:
        return None
    text = str(text)
    # translate() looks every character up: only for a text with a letter it changes.
    if not text.isascii() and _TRANSLATED.search(text):
        text = text.translate(_TRANSLATION)
    return _SPACES.sub(" ", text.lower()).strip()


def sqlite_fold(text):
    """The SQLite side of Fold(): the same as fold() but without collapsing spaces, as
    PostgreSQL's lower(unaccent()) leaves them."""
    if text is None:
        return None
    return str(text).translate(_TRANSLATION).lower()


class Fold(Func):
    """An expression's text folded as by fold() (spaces aside): for comparisons with a
    folded value."""

    function = SQLITE_FUNCTION
    arity = 1
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        (expression,) = self.get_source_expressions()
        unaccented = Func(expression, function="unaccent", output_field=CharField())
        return Lower(unaccented).as_sql(compiler, connection, **extra_context)


def register_sqlite_fold(sender, connection, **kwargs):
    """connection_created receiver: SQLite has no translate(), so Fold() calls Python."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, sqlite_fold, deterministic=True)


def folded_equals(field, text):
    """A condition: `field` equals `text`, ignoring case and diacritics."""
    return Exact(Fold(field), fold(text))


def search_terms(text):
    """The words of a search, folded; at most 10 (more narrow nothing in practice)."""
    return fold(text).split(" ")[:10] if fold(text) else []


def text_search(text, fields=(), related=()):
    """A Q for records matching every word of `text` in at least one of `fields` (paths on
    the model) or of `related`: (queryset, its link, its field[, the path the link points
    to, "pk" by default]), e.g. aliases, through Exists() so that a record with many
    aliases is listed once."""
    conditions = []
    for term in search_terms(text):
        alternatives = [Q(Contains(Fold(field), term)) for field in fields]
        for queryset, link, field, *outer in related:
            linked = queryset.filter(**{link: OuterRef(outer[0] if outer else "pk")})
            alternatives.append(Q(Exists(linked.filter(Contains(Fold(field), term)))))
        conditions.append(reduce(or_, alternatives))
    return reduce(and_, conditions) if conditions else Q()


# The search index (apps/records/search.py, a layer above) registers here how a list's `q`
# matches a kind it indexes; SearchFilter asks it first and matches the list's own fields
# only for a kind it does not index (or when nothing registered).
_INDEX = {"filter": None}


def use_index(filter_records):
    """`filter_records(queryset, text)`: the queryset narrowed by the index, or None when
    the kind is not indexed."""
    _INDEX["filter"] = filter_records


def index_filter(queryset, text):
    registered = _INDEX["filter"]
    return registered(queryset, text) if registered else None
