"""Streaming CSV and JSON exports: one row per record, written as the records are read, so
memory stays flat however many records match.

Each kind of record says how it is exported with a RecordExport (its `exports.py`); the
ExportView (apps/core/views.py) streams the list's selection through it. Three rules hold for
every CSV the site writes, and the import (apps/importing) undoes them exactly, so an
export re-imports to the identical file (docs/import.md):

- Several values in one cell (a record's sources, ids) are separated by " | "; a "|" inside a
  value is doubled ("||"), so a title like "Report | Example News" survives the split.
- A cell a spreadsheet would evaluate as a formula is prefixed with "'" (CSV injection).
- Values are plain text: dates in the import's form, decimals as stored, None as empty.
"""

import csv
import datetime
import decimal
import json
import re
from contextlib import contextmanager

from django.db import connections, transaction
from django.http import StreamingHttpResponse
from django.utils import timezone

from apps.core.partial_dates import PartialDate

from .pagination import planner_estimate
from .record_urls import AbsoluteUrls

LIST_SEPARATOR = " | "

# OWASP's list of what makes a spreadsheet evaluate a cell ("CSV injection"); a leading "'"
# is escaped too, so that the import can strip exactly one "'" and get the value back.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# A plain number is a value, not a formula: longitudes like -122.989827 stay numbers.
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def neutralise(cell):
    """The cell as written to a CSV file: prefixed with "'" when a spreadsheet would evaluate
    it (it starts with = + - @, a tab or a carriage return and is not a plain number) or when
    it starts with "'" itself."""
    if cell.startswith(ESCAPE) or (
        cell.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(cell)
    ):
        return ESCAPE + cell
    return cell


def needs_rules(cell):
    """Whether neutralise() or the CSV quoting would change the cell."""
    return neutralise(cell) != cell or any(char in cell for char in ',"\r\n')


def restore(cell):
    """The import's undo of neutralise(): one leading "'" is dropped when a formula trigger
    or another "'" follows it; any other cell is kept as it is."""
    if cell.startswith(ESCAPE) and cell[1:2] and cell[1].startswith((*FORMULA_TRIGGERS, ESCAPE)):
        return cell[1:]
    return cell


def join_list(values):
    """Several values in one cell: "a | b", with any "|" inside a value doubled."""
    return LIST_SEPARATOR.join(text_or_empty(value).replace("|", "||") for value in values)


def split_list(cell):
    """The values of a join_list() cell, stripped; [] for an empty cell. A single "|" separates
    (the spaces around it are optional), a doubled one is a "|" inside a value."""
    if not cell.strip():
        return []
    values, current, index = [], [], 0
    while index < len(cell):
        if cell.startswith("||", index):
            current.append("|")
            index += 2
        elif cell[index] == "|":
            values.append("".join(current).strip())
            current, index = [], index + 1
        else:
            current.append(cell[index])
            index += 1
    values.append("".join(current).strip())
    return values


def text_or_empty(value):
    """Dates in the import's form (2017, 2017-05, 2017-05-20), decimals as stored (45.523100),
    None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.iso
    return str(value)


class _Echo:
    """A file-like object whose write() returns the text, for csv.writer in a generator."""

    def write(self, value):
        return value


def release_connection(using):
    """Close the database connection a streamed response read from, once it is done.

    A streamed body is read after the view has returned, by the server, and can take
    minutes; with persistent connections (CONN_MAX_AGE) the connection would stay open after
    it, one per server thread (runserver starts a thread per request, so they pile up).
    Inside a transaction (a test's, or ATOMIC_REQUESTS) the connection is left to its owner:
    closing it would break the transaction.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        connection.close()


def _closing(chunks, *, using):
    # Runs the finally when the body is read to the end and when the response is closed
    # early (a client that went away): StreamingHttpResponse.close() closes this generator.
    try:
        yield from chunks
    finally:
        release_connection(using)


def csv_response(*, filename, columns, lines, using="default"):
    """`lines` are pieces of the file's text after its header: RecordExport.csv_text()."""
    response = StreamingHttpResponse(
        _closing(_with_header(columns, lines), using=using),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_writer():
    # RFC 4180's line ending: with it, csv quotes a cell holding a lone carriage return too
    # (with "\n" alone it would not, and the cell would break the row when read back).
    # apps/core/export_sql.py writes the same from PostgreSQL.
    return csv.writer(_Echo(), lineterminator="\r\n")


def _with_header(columns, lines):
    yield _csv_writer().writerow(columns)
    yield from lines


def csv_lines(rows):
    """The CSV text of `rows` (lists of strings), one piece per list of rows."""
    writer = _csv_writer()
    for chunk in rows:
        yield "".join(writer.writerow([neutralise(cell) for cell in row]) for row in chunk)


@contextmanager
def reading(using):
    """Where a streamed export reads: inside a transaction, so that PostgreSQL reads through a
    server-side cursor the generator holds (Django's iterator() outside one declares it WITH
    HOLD, which runs the whole sorted query to its end before the first row), and every
    chunk's lookups see the same data. The transaction ends when the stream does, read to
    the end or closed early."""
    # Without a savepoint: inside a transaction already (a test's), the stream joins it.
    with transaction.atomic(using=using, savepoint=False):
        yield


# Past this many rows (the planner's estimate), an export asks for the plan that starts
# soonest rather than the one that ends soonest.
FAST_START_ROWS = 50_000


def database_rows(queryset, expression, chunk_size):
    """The text of `expression` for each record of `queryset`, in its order, in lists of
    `chunk_size`, read through a server-side cursor."""
    queryset = (
        queryset.prefetch_related(None)
        .annotate(_export_text=expression)
        .values_list("_export_text", flat=True)
    )
    using = queryset.db
    sql, params = queryset.query.get_compiler(using).as_sql()
    # For a large selection the first rows matter most: a plan that reads in the
    # selection's order through the list's index (apps/core/pagination.py) starts at once,
    # where sorting a million joined rows first would take seconds (the planner's default
    # weighs the first tenth of the rows). For a small one (a region and a technology: 1% of
    # the table), that index would be read end to end to find its rows (2.6 s of 3.3 at a
    # million deployments): the plan that ends soonest, which selects them and sorts them,
    # is faster (0.3 s).
    estimate = planner_estimate(queryset)
    fraction = "0.01" if estimate is None or estimate > FAST_START_ROWS else "1"
    with reading(using), connections[using].chunked_cursor() as cursor:
        # The line is a long expression: PostgreSQL's JIT would spend seconds compiling it
        # before the first row, more than it saves over a million rows.
        with connections[using].cursor() as settings:
            settings.execute(
                "SELECT set_config('jit', 'off', true), "
                "set_config('cursor_tuple_fraction', %s, true)",
                [fraction],
            )
        cursor.execute(sql, params)
        # A small first fetch: the first rows go out as soon as the database has them.
        size = min(100, chunk_size)
        while rows := cursor.fetchmany(size):
            yield [row[0] for row in rows]
            size = chunk_size


def json_default(value):
    """JSON for what the exports hold beyond JSON's types: decimals as text, dates ISO 8601."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_response(*, filename, objects, meta, using="default"):
    """`objects` are lists of JSON objects' texts (RecordExport.json_texts()), written as
    {"meta": ..., "results": [...]}, one object a line."""

    def chunks():
        header = {**meta, "generated_at": timezone.now().isoformat(timespec="seconds")}
        yield '{"meta": ' + json.dumps(header, default=json_default) + ', "results": ['
        separator = "\n"
        for chunk in objects:
            yield separator + ",\n".join(chunk)
            separator = ",\n"
        yield "\n]}\n"

    response = StreamingHttpResponse(
        _closing(chunks(), using=using), content_type="application/json"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def json_lines_response(*, filename, objects, using="default"):
    """`objects` as in json_response(), written as JSON Lines: one object a line, nothing
    around them (https://jsonlines.org)."""

    def chunks():
        for chunk in objects:
            yield "".join(text + "\n" for text in chunk)

    response = StreamingHttpResponse(
        _closing(chunks(), using=using), content_type="application/jsonl; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# ---------------------------------------------------------------------------------------------
# One kind of record


# The columns every kind's CSV shares, which the export writes and the import (apps/importing)
# reads: the record's agency, its coordinates (deployments), and its sources, either in list
# cells (the export's layout, one row per record) or one per row (the older layout, one row
# per (record, source), which the import still reads).
AGENCY_COLUMNS = ["agency", "agency_kind", "country", "region", "locality", "agency_ori"]
COORDINATE_COLUMNS = ["latitude", "longitude"]
# A source's page and quote (source_page, source_quote) say where in it the fact is: the
# citation's pinpoint.
SOURCE_COLUMNS = [
    "source_url",
    "source_title",
    "source_publisher",
    "source_date",
    "source_page",
    "source_quote",
]
SOURCE_LIST_COLUMNS = [
    "source_urls",
    "source_titles",
    "source_publishers",
    "source_dates",
    "source_pages",
    "source_quotes",
]
# The export's layout (one row per record) names the agency's slug too. Like the record's id
# and url, the other slugs and the linked ids, it describes the exporting database: the import
# accepts these columns and does not read them (it matches on names, ORIs and URLs).
RECORD_AGENCY_COLUMNS = [AGENCY_COLUMNS[0], "agency_slug", *AGENCY_COLUMNS[1:]]


def agency_cells(agency, *, with_coordinates):
    """The RECORD_AGENCY_COLUMNS (and COORDINATE_COLUMNS) of a record's agency."""
    cells = {
        "agency": agency.name,
        "agency_slug": agency.slug,
        "agency_kind": agency.kind,
        "country": agency.country,
        "region": agency.region,
        "locality": agency.locality,
        "agency_ori": agency.ori,
    }
    if with_coordinates:
        cells.update(latitude=agency.latitude, longitude=agency.longitude)
    return cells


def ordered_citations(record):
    """The record's citations of published sources (`public_citations`, prefetched by
    published_citations()), by the source's URL: an export re-imported elsewhere (new
    ids) lists them in the same order."""
    return sorted(
        record.public_citations, key=lambda citation: (citation.source.url, citation.source.pk)
    )


def citation_list_cells(citations):
    """The source cells of a record: URLs, titles, publishers, dates, pages and quotes, in
    one order."""
    sources = [citation.source for citation in citations]
    return {
        "source_urls": join_list(source.url for source in sources),
        "source_titles": join_list(source.title for source in sources),
        "source_publishers": join_list(source.publisher for source in sources),
        "source_dates": join_list(source.publication for source in sources),
        "source_pages": join_list(citation.page for citation in citations),
        "source_quotes": join_list(citation.quote for citation in citations),
    }


def citation_json(citation):
    source = citation.source
    return {
        "id": source.pk,
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "published": partial_date_json(source.publication),
        "page": citation.page,
        "quote": citation.quote,
    }


def partial_date_json(partial):
    return None if partial is None else {"date": partial.iso, "precision": partial.precision}


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class RecordExport:
    """How one kind of record is exported: one CSV row and one JSON object per record.

    Subclasses set `columns` and write cells() (a dict keyed by column: strings, numbers,
    partial dates, None, or lists joined with "; ") and json(). The queryset is read in chunks
    of `chunk_size`, each with its prefetches (prepare()) and with what load_chunk() looks up
    for the whole chunk at once, so the number of queries depends on the number of chunks,
    not of records. `self.url(record)` is the record's absolute public address.
    """

    columns = ()
    chunk_size = 1000
    # How sql_json() ends a UTC timestamp: as json.dumps(isoformat()) does here; the API
    # (apps/api/records.py) sets "Z", as its JSON encoder writes them.
    utc_suffix = "+00:00"

    def __init__(self, request):
        self.request = request
        self.urls = AbsoluteUrls(request)

    def url(self, record):
        return self.urls.of_record(record)

    def prepare(self, queryset):
        """The queryset with what cells() and json() read prefetched."""
        return queryset

    def load_chunk(self, records):
        """Look up, in a fixed number of queries, what the records of one chunk need."""

    def cells(self, record):
        raise NotImplementedError

    def json(self, record):
        raise NotImplementedError

    def sql_cells(self):
        """PostgreSQL: the cells of `columns` as SQL expressions (apps/core/export_sql.py),
        for the database to write each line; None where the rows are written in Python."""
        return None

    def records(self, queryset):
        with reading(queryset.db):
            records = self.prepare(queryset).iterator(self.chunk_size)
            for chunk in _chunks(records, self.chunk_size):
                self.load_chunk(chunk)
                yield from chunk
                # A record and its prefetched relations refer to each other (a citation to
                # its record): dropping them here frees a chunk at once, where the garbage
                # collector would let many pile up between its passes.
                for record in chunk:
                    record.__dict__.pop("_prefetched_objects_cache", None)

    def csv_text(self, queryset):
        """The CSV file's text after its header, in pieces: written by PostgreSQL when the
        kind gives sql_cells(), else from csv_rows()."""
        cells = self.sql_cells() if connections[queryset.db].vendor == "postgresql" else None
        if cells is not None:
            from apps.core.export_sql import CsvLine

            lines = database_rows(queryset, CsvLine(cells), self.chunk_size)
            return ("".join(chunk) for chunk in lines)
        return csv_lines(_chunks(self.csv_rows(queryset), self.chunk_size))

    def csv_rows(self, queryset):
        for record in self.records(queryset):
            cells = self.cells(record)
            yield [_cell_text(cells[column]) for column in self.columns]

    def csv_rows_and_json(self, queryset):
        """Each record's CSV row and JSON object from one read of `queryset`: the data
        package's CSV and JSON Lines files (apps/opendata) then hold the same records."""
        for record in self.records(queryset):
            cells = self.cells(record)
            yield [_cell_text(cells[column]) for column in self.columns], self.json(record)

    def json_records(self, queryset):
        for record in self.records(queryset):
            yield self.json(record)

    def sql_json(self):
        """PostgreSQL: json() as an SQL expression (apps/core/export_sql.py), for the database
        to write each object; None where the objects are written in Python."""
        return None

    def json_texts(self, queryset):
        """The text of each record's JSON object, in lists of a chunk's: written by
        PostgreSQL when the kind gives sql_json(), else by json.dumps()."""
        expression = self.sql_json() if connections[queryset.db].vendor == "postgresql" else None
        if expression is not None:
            from apps.core.export_sql import json_text

            return database_rows(queryset, json_text(expression), self.chunk_size)
        records = _chunks(self.json_records(queryset), self.chunk_size)
        return ([json.dumps(record, default=json_default) for record in chunk] for chunk in records)


def _cell_text(value):
    if isinstance(value, list | tuple):
        return "; ".join(text_or_empty(item) for item in value)
    return text_or_empty(value)
