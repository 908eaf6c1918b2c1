"""Streaming CSV and JSON exports: rows are written as they are read, so memory stays flat
however many rows match."""

import csv
import datetime
import decimal
import json

from django.http import StreamingHttpResponse
from django.utils import timezone


class _Echo:
    """A file-like object whose write() returns the text, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_response(*, filename, columns, rows):
    writer = csv.writer(_Echo(), lineterminator="\n")

    def lines():
        yield writer.writerow(columns)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _json_default(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_response(*, filename, records, meta):
    """`records` is an iterable of dicts, written as {"meta": ..., "results": [...]}."""

    def chunks():
        header = {**meta, "generated_at": timezone.now().isoformat(timespec="seconds")}
        yield '{"meta": ' + json.dumps(header, default=_json_default) + ', "results": ['
        for index, record in enumerate(records):
            yield ("," if index else "") + "\n" + json.dumps(record, default=_json_default)
        yield "\n]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def csv_cells(record_cells, columns):
    """A CSV row from a record's dict of values: lists joined with "; ", None as empty."""
    row = []
    for column in columns:
        value = record_cells[column]
        if isinstance(value, list | tuple):
            value = "; ".join(str(item) for item in value)
        row.append("" if value is None else value)
    return row


def csv_rows_from(queryset, *, cells, columns):
    for record in queryset.iterator(chunk_size=1000):
        yield csv_cells(cells(record), columns)
