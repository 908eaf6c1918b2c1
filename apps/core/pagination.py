"""Keyset ("seek") pagination for the public lists, and their counts.

A page after the first is asked for by the position of a row (`?after=<cursor>` for the rows
after it, `?before=<cursor>` for those before it), not by a number: the database seeks to that
position through the index of the list's sort order instead of counting past every row above
it (`OFFSET 999950`), so no page is slower than the first, and a row inserted or published
between two page loads neither repeats a row nor hides one.

A cursor is the row's values of every key of the sort order, primary key last, with the sort
it belongs to, as URL-safe base64 of JSON: `["-start", "2019-03-01", 4120]`. An unknown date
of a date sort is the date it sorts as (0001-01-01 going down, 9999-12-31 going up:
RegistryFilterSet.unknown_last); any other key that can be NULL is null in the cursor, and
NULLs sort last.

Counts are exact up to `LIST_EXACT_COUNT_LIMIT` rows (COUNT over LIMIT n+1, so it never reads
more); beyond that PostgreSQL's planner estimate is shown as "about 120,000" (other databases
count exactly).
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass
from functools import cached_property, reduce
from operator import and_, or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import F, Q
from django.db.models.expressions import Col, OrderBy
from django.db.models.functions import Coalesce
from django.db.models.sql.constants import LOUTER
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from .selectors import FilterError

CURSOR_PARAMS = ("after", "before")
PAGE_NUMBER = re.compile(r"[0-9]{1,9}")
BAD_CURSOR = gettext_lazy(
    "This link to a page of the list is damaged, or belongs to another sort order: "
    "start again from the first page."
)


class BadCursor(ValueError):
    pass


def encode_cursor(sort, values):
    raw = json.dumps([sort, *values], separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode("ascii").rstrip("=")


def decode_cursor(text, sort, fields):
    """The key values a cursor holds, cleaned by each key's model field; BadCursor if it is
    not one made for `sort` with as many keys as `fields`."""
    try:
        padded = text + "=" * (-len(text) % 4)
        data = json.loads(base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True))
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise BadCursor(BAD_CURSOR) from exc
    if not isinstance(data, list) or len(data) != len(fields) + 1 or data[0] != sort:
        raise BadCursor(BAD_CURSOR)
    values = []
    for raw, field in zip(data[1:], fields, strict=True):
        if raw is None:
            values.append(None)
            continue
        if not isinstance(raw, str | int | float | bool):
            raise BadCursor(BAD_CURSOR)
        try:
            values.append(field.to_python(raw))
        except (ValidationError, TypeError, ValueError) as exc:
            raise BadCursor(BAD_CURSOR) from exc
    return values


@dataclass
class SortKey:
    """One key of a list's order, as the annotation `name` of the paginated queryset."""

    name: str
    descending: bool
    nullable: bool
    field: object

    def order(self, reverse=False):
        """This key's ORDER BY term; NULLs last going forwards (first going back)."""
        descending = self.descending != reverse
        if not self.nullable:
            return OrderBy(F(self.name), descending=descending)
        if reverse:
            return OrderBy(F(self.name), descending=descending, nulls_first=True)
        return OrderBy(F(self.name), descending=descending, nulls_last=True)

    def equal(self, value):
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})

    def beyond(self, value, reverse=False):
        """Rows strictly past `value` on this key (before it when `reverse`), NULLs last; None
        when nothing is (past the last NULL going forwards)."""
        if value is None:
            return None if not reverse else Q(**{f"{self.name}__isnull": False})
        lookup = "lt" if self.descending != reverse else "gt"
        condition = Q(**{f"{self.name}__{lookup}": value})
        if self.nullable and not reverse:
            condition |= Q(**{f"{self.name}__isnull": True})
        return condition

    def bound(self, value, reverse=False):
        """The same side of `value`, inclusive, for a key that is never NULL: a range the
        index scan starts from (the exact condition alone is an OR the planner cannot)."""
        if value is None or self.nullable:
            return None
        lookup = "lte" if self.descending != reverse else "gte"
        return Q(**{f"{self.name}__{lookup}": value})


def nullable(query, expression):
    """Whether a sort key can be NULL: a nullable column, or one reached by a LEFT JOIN.
    Expressions other than COALESCE are assumed nullable, which is only slower, not wrong."""
    if isinstance(expression, Coalesce):
        return False
    if isinstance(expression, Col):
        join = query.alias_map.get(expression.alias)
        return expression.target.null or getattr(join, "join_type", None) == LOUTER
    return True


def seek(keys, values, reverse=False):
    """The rows after (before, when `reverse`) the position `values` in the order of `keys`:
    past it on the first key, or equal on the first and past it on the second, and so on."""
    terms = []
    for index, key in enumerate(keys):
        past = key.beyond(values[index], reverse)
        if past is not None:
            equal = [keys[i].equal(values[i]) for i in range(index)]
            terms.append(reduce(and_, [*equal, past]))
    if not terms:
        return Q(pk__in=[])
    condition = reduce(or_, terms)
    bound = keys[0].bound(values[0], reverse)
    return condition & bound if bound is not None else condition


class ListCount:
    """How many rows a selection holds: `value` (exact, or the planner's estimate) and `label`
    as shown ("1,234", "about 120,000", "more than 10,000")."""

    def __init__(self, queryset):
        limit = settings.LIST_EXACT_COUNT_LIMIT
        selection = queryset.order_by().values("pk")
        counted = selection[: limit + 1].count()
        self.exact = counted <= limit
        self.at_least = False
        if self.exact:
            self.value = counted
            return
        estimate = planner_estimate(selection)
        if estimate is None:  # not PostgreSQL: count, as cheap there as it gets
            self.value, self.exact = selection.count(), True
        elif estimate <= limit:  # the estimate is wrong: say what is known
            self.value, self.at_least = limit + 1, True
        else:
            self.value = estimate

    @property
    def label(self):
        """In the page's language: "1,234" in English, "1.234" in Spanish."""
        if self.exact:
            return grouped(self.value)
        if self.at_least:
            return gettext("more than %(count)s") % {"count": grouped(self.value - 1)}
        return gettext("about %(count)s") % {"count": grouped(round_estimate(self.value))}


def grouped(number):
    """A whole number with the active language's thousands separator, whatever
    USE_THOUSAND_SEPARATOR says."""
    return number_format(number, force_grouping=True)


def round_estimate(value):
    """Two significant figures: an estimate is no more precise than that."""
    digits = len(str(value))
    step = 10 ** max(digits - 2, 0)
    return round(value / step) * step


def planner_estimate(queryset):
    """PostgreSQL's estimate of the rows `queryset` returns (EXPLAIN's top "Plan Rows"), or
    None on other databases."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class KeysetPaginator:
    """Pages of `queryset` in the order `ordering` (OrderBy terms ending with the primary key)
    under the sort named `sort`. `object_list` and `count` as Django's Paginator has them."""

    def __init__(self, queryset, ordering, per_page, sort):
        self.per_page, self.sort = per_page, sort
        names = {f"_key{index}": term.expression for index, term in enumerate(ordering)}
        self.object_list = queryset.annotate(**names)
        query = self.object_list.query
        self.keys = [
            SortKey(
                name=name,
                descending=term.descending,
                nullable=nullable(query, query.annotations[name]),
                field=query.annotations[name].output_field,
            )
            for name, term in zip(names, ordering, strict=True)
        ]

    @cached_property
    def _count(self):
        return ListCount(self.object_list)

    @property
    def count(self):
        return self._count.value

    @property
    def count_label(self):
        return self._count.label

    @property
    def count_is_exact(self):
        return self._count.exact

    def ordered(self, reverse=False):
        return self.object_list.order_by(*(key.order(reverse) for key in self.keys))

    def cursor(self, row):
        return encode_cursor(self.sort, [getattr(row, key.name) for key in self.keys])

    def page_for(self, params):
        """(page, None, 200) for the query string's `after`, `before` or (a shallow) `page`,
        else (None, FilterError, 400 or 404)."""
        given = {name: params.getlist(name) for name in (*CURSOR_PARAMS, "page") if name in params}
        if len(given) > 1 or any(len(values) > 1 for values in given.values()):
            message = gettext("Give one of after, before or page, once.")
            return None, FilterError("after", gettext("Page position"), message), 400
        if "page" in given:
            return self.numbered(given["page"][0])
        for direction in CURSOR_PARAMS:
            if direction in given:
                fields = [key.field for key in self.keys]
                try:
                    values = decode_cursor(given[direction][0], self.sort, fields)
                except BadCursor as error:
                    return None, FilterError(direction, gettext("Page position"), str(error)), 400
                return self.seek_page(values, reverse=direction == "before"), None, 200
        return self.first_rows(1, 0), None, 200

    def numbered(self, text):
        """`?page=N`, kept for the links made before cursors: by offset, so only up to
        LIST_MAX_PAGE_NUMBER, past which it would get slower the deeper it went."""
        limit = settings.LIST_MAX_PAGE_NUMBER
        if not PAGE_NUMBER.fullmatch(text) or int(text) < 1:
            message = gettext("“%(text)s” is not a page number.") % {"text": text}
            return None, FilterError("page", gettext("Page"), message), 400
        number = int(text)
        if number > limit:
            message = gettext(
                "Pages are numbered up to %(limit)s only: go on from there with “Next”, "
                "which continues from the last row shown."
            ) % {"limit": limit}
            return None, FilterError("page", gettext("Page"), message), 400
        page = self.first_rows(number, (number - 1) * self.per_page)
        if number > 1 and not page.object_list:
            message = gettext("There is no page %(number)s: the list ends before it.") % {
                "number": number
            }
            return None, FilterError("page", gettext("Page"), message), 404
        return page, None, 200

    def first_rows(self, number, offset):
        rows = list(self.ordered()[offset : offset + self.per_page + 1])
        return KeysetPage(
            self,
            rows[: self.per_page],
            number,
            has_next=len(rows) > self.per_page,
            has_previous=number > 1,
        )

    def seek_page(self, values, reverse):
        queryset = self.ordered(reverse).filter(seek(self.keys, values, reverse))
        rows = list(queryset[: self.per_page + 1])
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if reverse:
            # Whatever is before the row the cursor names, it is still there or after it.
            return KeysetPage(self, rows[::-1], None, has_next=True, has_previous=more)
        return KeysetPage(self, rows, None, has_next=more, has_previous=True)


class KeysetPage:
    """One page of a KeysetPaginator: its rows, whether there are more either side and the
    cursors that lead there. `number` is known for the first pages only (`?page=N`)."""

    keyset = True

    def __init__(self, paginator, rows, number, *, has_next, has_previous):
        self.paginator, self.object_list, self.number = paginator, rows, number
        self.has_next, self.has_previous = has_next, has_previous

    def __len__(self):
        return len(self.object_list)

    @property
    def next_cursor(self):
        return self.paginator.cursor(self.object_list[-1]) if self.object_list else ""

    @property
    def previous_cursor(self):
        return self.paginator.cursor(self.object_list[0]) if self.object_list else ""

    def start_index(self):
        if self.number is None or not self.object_list:
            return None
        return (self.number - 1) * self.paginator.per_page + 1

    def end_index(self):
        start = self.start_index()
        return None if start is None else start + len(self.object_list) - 1
