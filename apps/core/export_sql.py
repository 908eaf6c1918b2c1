"""CSV lines written by PostgreSQL: the same bytes as csv_response() writes from Python rows
(apps/core/exports.py), built in the query that reads the selection, so that a million-row
export streams at the database's own pace instead of building model instances per row.

Each cell is an SQL expression over the selection's queryset, formatted by the rules every
export follows: neutralise() for a cell a spreadsheet would evaluate, then the quoting of
Python's csv module (QUOTE_MINIMAL with "\\r\\n" line ends: a cell holding a comma, a double
quote, a carriage return or a line feed is quoted, its double quotes doubled). A CsvLine
joins them with commas and ends the line with "\\r\\n". tests/core/test_export_sql.py checks
that both paths write the identical file.
"""

import functools
import itertools

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case, F, Func, TextField, Value, When
from django.db.models.functions import Cast

from apps.core.exports import needs_rules
from apps.core.models import Visibility


@functools.cache
def _decimal_digits():
    """An SQL bracket expression's ranges of every Unicode decimal digit: what Python's `\\d`
    matches in exports._PLAIN_NUMBER, so that both paths agree on what a plain number is."""
    codes = [code for code in range(0x110000) if chr(code).isdecimal()]
    ranges, start = [], codes[0]
    for previous, code in itertools.pairwise([*codes, None]):
        if code != previous + 1:
            ranges.append((start, previous))
            start = code
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


def _plain_number_regex():
    digits = f"[{_decimal_digits()}]"
    return f"^-?{digits}+(\\.{digits}+)?$"


# The first characters exports.FORMULA_TRIGGERS and exports.ESCAPE name, as SQL literals.
_TRIGGERS = "'''', '=', '+', '-', '@', E'\\t', E'\\r'"


def text_cell_sql(value):
    """The cell of the SQL text `value` (NULL as empty): neutralised, then quoted when
    needed. `value` appears several times: it must be a column, not a subquery."""
    neutralised = (
        f"CASE WHEN left({value}, 1) IN ({_TRIGGERS}) AND {value} !~ '{_plain_number_regex()}' "
        f"THEN '''' || {value} ELSE {value} END"
    )
    return (
        f"CASE WHEN {value} ~ '[,\"\\r\\n]' "
        f"THEN '\"' || replace({neutralised}, '\"', '\"\"') || '\"' "
        f"ELSE coalesce({neutralised}, '') END"
    )


def partial_date_sql(date, precision):
    """PartialDate.iso in SQL: 2017, 2017-05 or 2017-05-20 by the precision (a day when the
    precision is empty, as PartialDateAccessor reads it); NULL for an unknown date."""
    return (
        f"CASE {precision} WHEN 'year' THEN to_char({date}, 'YYYY') "
        f"WHEN 'month' THEN to_char({date}, 'YYYY-MM') ELSE to_char({date}, 'YYYY-MM-DD') END"
    )


def partial_date_display_sql(date, precision):
    """PartialDate.display in SQL: 2017, May 2017 or 20 May 2017 (English month names, as
    Python's %B writes them in the C locale); NULL for an unknown date."""
    return (
        f"CASE {precision} WHEN 'year' THEN to_char({date}, 'FMYYYY') "
        f"WHEN 'month' THEN to_char({date}, 'FMMonth FMYYYY') "
        f"ELSE to_char({date}, 'FMDD FMMonth FMYYYY') END"
    )


class _Cell(Func):
    """One cell: `build` turns the SQL of the expressions into the cell's SQL."""

    output_field = TextField()

    def __init__(self, *expressions, build):
        super().__init__(*expressions, output_field=TextField())
        self.build = build

    def as_sql(self, compiler, connection, **extra_context):
        compiled = [compiler.compile(expression) for expression in self.get_source_expressions()]
        if any(params for _sql, params in compiled):
            raise ValueError("A cell's SQL repeats its expressions: give columns, not queries.")
        return f"({self.build(*(sql for sql, _params in compiled))})", []


def text_cell(expression):
    """A text (or NULL) column, by every rule of the CSV cells."""
    return _Cell(_field(expression), build=text_cell_sql)


def plain_cell(expression):
    """A column whose text needs neither neutralising nor quoting: ids, decimals (their
    text as stored, like str(Decimal)), dates. NULL is empty."""
    return _Cell(_field(expression), build=lambda value: f"coalesce(({value})::text, '')")


def partial_date_cell(name):
    """The partial date `name` (the pair of columns `name`_date and `name`_date_precision)."""
    return _Cell(
        F(f"{name}_date"),
        F(f"{name}_date_precision"),
        build=lambda date, precision: f"coalesce({partial_date_sql(date, precision)}, '')",
    )


def agency_sql_cells(*, with_coordinates):
    """exports.agency_cells() of the record's agency: RECORD_AGENCY_COLUMNS (and
    COORDINATE_COLUMNS)."""
    names = ("name", "slug", "kind", "country", "region", "locality", "ori")
    cells = [text_cell(f"agency__{name}") for name in names]
    if with_coordinates:
        cells += [plain_cell("agency__latitude"), plain_cell("agency__longitude")]
    return cells


def concat(*expressions):
    """The texts of the expressions one after the other (SQL's concat(): NULL as empty)."""
    return Func(*expressions, function="concat", output_field=TextField())


def address(prefix, key, suffix):
    """An absolute address put together around the record's `key` (a field path), as
    AbsoluteUrls does (apps/core/record_urls.py)."""
    return concat(Value(prefix), Cast(key, TextField()), Value(suffix))


def url_cell(urls, view_name):
    """The record's absolute address (request.build_absolute_uri of its detail URL, by its
    primary key), put together around the key; `urls` the request's AbsoluteUrls."""
    prefix, suffix = urls.around_view(view_name)
    return _SafeCell(address(prefix, "pk", suffix), sample=f"{prefix}1{suffix}")


class _SafeCell(Func):
    """A cell from one expression (with parameters) whose text the rules leave alone, as
    checked on a sample of it."""

    template = "%(expressions)s"
    output_field = TextField()

    def __init__(self, expression, *, sample):
        if needs_rules(sample):
            raise ValueError(f"{sample!r} would be neutralised or quoted.")
        super().__init__(expression, output_field=TextField())


def id_list_cell(queryset):
    """The primary keys `queryset` (a subquery over OuterRef) selects, in its order, as a list
    cell: digits and " | ", which the rules leave alone."""
    return Func(
        ArraySubquery(queryset.order_by("pk").values("pk")),
        Value(" | "),
        function="array_to_string",
        output_field=TextField(),
    )


class SortedNamesCell(Func):
    """The names of the published records a record links to through a many-to-many
    `relation`, sorted (code point order, as Python's sorted()) and joined by `separator`:
    one cell, by the rules of the cells."""

    output_field = TextField()

    def __init__(self, model, relation, separator):
        super().__init__(F("pk"), output_field=TextField())
        self.relation = model._meta.get_field(relation)
        self.separator = separator

    def as_sql(self, compiler, connection, **extra_context):
        record_sql, record_params = compiler.compile(self.get_source_expressions()[0])
        through = self.relation.remote_field.through._meta
        target = self.relation.related_model._meta.db_table
        own = self.relation.m2m_column_name()
        other = self.relation.m2m_reverse_name()
        names = (
            f'SELECT string_agg(r.name, %s ORDER BY r.name COLLATE "C") AS v '  # nosec B608 # names from the models, values as parameters
            f"FROM {through.db_table} m JOIN {target} r ON r.id = m.{other} "
            f"WHERE m.{own} = {record_sql} AND r.visibility = %s"
        )
        sql = f"(SELECT {text_cell_sql('n.v')} FROM ({names}) n)"  # nosec B608 # SQL built above from the models
        return sql, [self.separator, *record_params, Visibility.PUBLISHED.value]


class _CitationsSubquery(Func):
    """A subquery over the record's citations of published sources, sorted as
    ordered_citations() lists them: by the source's URL (code point order, as Python sorts:
    the "C" collation) and number. Subclasses give `select` (the citations' and sources'
    columns, c. and s.) and around() (SQL around that sorted subquery)."""

    output_field = TextField()
    select = ""

    def __init__(self, model):
        super().__init__(F("pk"), output_field=TextField())
        self.model = model

    def as_sql(self, compiler, connection, **extra_context):
        record_sql, record_params = compiler.compile(self.get_source_expressions()[0])
        citations = self.model.citations.rel.related_model
        record_column = self.model.citations.field.column
        source_table = citations._meta.get_field("source").related_model._meta.db_table
        cited = (
            f"(SELECT {self.select} "  # nosec B608 # names from the models, values as parameters
            f"FROM {citations._meta.db_table} c JOIN {source_table} s ON s.id = c.source_id "
            f"WHERE c.{record_column} = {record_sql} AND s.visibility = %s "
            'ORDER BY s.url COLLATE "C", s.id)'
        )
        return self.around(cited), [*record_params, Visibility.PUBLISHED.value]

    def around(self, cited):
        raise NotImplementedError


_SOURCE_LISTS = {
    "urls": "s.url",
    "titles": "s.title",
    "publishers": "s.publisher",
    "dates": partial_date_sql("s.publication_date", "s.publication_date_precision"),
    "pages": "c.page::text",
    "quotes": "c.quote",
}


class SourceListCells(_CitationsSubquery):
    """The six SOURCE_LIST_COLUMNS cells of the record, joined by commas, from one subquery.
    Sorted once, in a subquery the aggregates read in its order, rather than by an ORDER BY
    in each of the six aggregates (six sorts a record)."""

    select = ", ".join(f"{sql} AS {name}" for name, sql in _SOURCE_LISTS.items())

    def around(self, cited):
        lists = ", ".join(
            f"string_agg(coalesce(replace(o.{name}, '|', '||'), ''), ' | ') AS {name}"
            for name in _SOURCE_LISTS
        )
        cells = " || ',' || ".join(text_cell_sql(f"l.{name}") for name in _SOURCE_LISTS)
        return f"(SELECT {cells} FROM (SELECT {lists} FROM {cited} o) l)"  # nosec B608 # constant names; `cited` built from the models


class CsvLine(Func):
    """The CSV line of the cells (expressions from the functions above): joined by commas,
    ended by "\\r\\n"."""

    output_field = TextField()

    def __init__(self, cells):
        super().__init__(*cells, output_field=TextField())

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, cell_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(cell_params)
        return "(" + " || ',' || ".join(parts) + " || E'\\r\\n')", params


def _field(expression):
    return F(expression) if isinstance(expression, str) else expression


# ---------------------------------------------------------------------------------------------
# JSON objects written by PostgreSQL: the same values as RecordExport.json() (the same JSON
# once parsed; the spacing and the escaping of non-ASCII text are PostgreSQL's).


def json_object(**pairs):
    """A JSON object of the expressions (or field names) `pairs`, in their order."""
    arguments = []
    for key, value in pairs.items():
        arguments.extend([Value(key), _field(value)])
    return Func(*arguments, function="json_build_object", output_field=TextField())


def partial_date_object_sql(date, precision):
    """exports.partial_date_json() in SQL: {"date", "precision"} (a day when the precision
    is empty), or null."""
    return (
        f"CASE WHEN {date} IS NULL THEN NULL ELSE json_build_object('date', "
        f"{partial_date_sql(date, precision)}, 'precision', "
        f"coalesce(nullif({precision}, ''), 'day')) END"
    )


def partial_date_object(name):
    """The partial date `name` as exports.partial_date_json() writes it."""
    return _Cell(F(f"{name}_date"), F(f"{name}_date_precision"), build=partial_date_object_sql)


def partial_date_display(name):
    """str() of the partial date `name` (a field path to its pair of columns), or NULL."""
    return _Cell(F(f"{name}_date"), F(f"{name}_date_precision"), build=partial_date_display_sql)


def choice_label(name, choices):
    """get_<name>_display() in SQL: the label of the field's value among `choices` (a
    TextChoices), the value itself when it is not one of them. Labels in the language
    active now (a lazy label is not a value the driver can send)."""
    return Case(
        *(When(**{name: value}, then=Value(str(label))) for value, label in choices.choices),
        default=F(name),
        output_field=TextField(),
    )


def date_json(name):
    """A date as datetime.date.isoformat() writes it, or null."""
    return _Cell(F(name), build=lambda date: f"to_char({date}, 'YYYY-MM-DD')")


def timestamp_json(name, utc_suffix="+00:00"):
    """A timestamp as datetime.isoformat() writes Django's aware UTC datetimes: microseconds
    only when there are some; `utc_suffix` "Z" as the API's JSON encoder (DRF's) writes it."""
    utc = "({value} AT TIME ZONE 'UTC')"
    return _Cell(
        F(name),
        build=lambda value: (
            f"to_char({utc.format(value=value)}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
            f"mod(extract(microseconds FROM {value})::bigint, 1000000) = 0 THEN '' ELSE "
            f"to_char({utc.format(value=value)}, '.US') END || '{utc_suffix}'"
        ),
    )


def id_list_json(queryset):
    """The primary keys `queryset` (a subquery over OuterRef) selects, in order: [1, 2]."""
    return Func(
        ArraySubquery(queryset.order_by("pk").values("pk")),
        function="to_json",
        output_field=TextField(),
    )


class SourceListJson(_CitationsSubquery):
    """exports.citation_json() of each of the record's citations: a JSON array."""

    select = (
        "s.id, s.title, s.url, s.publisher, "
        + partial_date_object_sql("s.publication_date", "s.publication_date_precision")
        + " AS published, c.page, c.quote"
    )

    def around(self, cited):
        return (
            "(SELECT coalesce(json_agg(json_build_object('id', o.id, 'title', o.title, "  # nosec B608 # `cited` is the subquery built from the models
            "'url', o.url, 'publisher', o.publisher, 'published', o.published, "
            f"'page', o.page, 'quote', o.quote)), '[]') FROM {cited} o)"
        )


def json_text(expression):
    """The text of a JSON expression: what the database sends for each record."""
    return Func(expression, template="(%(expressions)s)::text", output_field=TextField())
