"""Reading an import file: decoding it, telling its layout by the header, and turning each
row's cells into Python values with every problem kept by column (RowReader). Nothing here
touches the database."""

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.backends.base.operations import BaseDatabaseOperations

from apps.core.exports import restore
from apps.core.partial_dates import PartialDate


class ImportRefused(Exception):
    """The file was refused: nothing was written. `problems` are lines of explanation."""

    def __init__(self, summary, *, problems=()):
        super().__init__(summary)
        self.summary = summary
        self.problems = list(problems)

    def text(self):
        return "\n".join([self.summary, *self.problems])


@dataclass
class Row:
    line: int  # where the row starts in the file; the header is line 1
    cells: dict  # column -> stripped text; "" for an empty or absent cell
    extra_cells: int = 0  # non-empty cells beyond the header's columns: a row problem


@dataclass(frozen=True)
class Layout:
    """The columns a file may have and must have, and whether it writes one row per record
    (its sources in list cells) or one row per (record, source)."""

    columns: list
    required: list
    per_record: bool


def read_csv(path, *, layouts):
    """The layout of the CSV file at `path` (picked by its header from `layouts`: the
    per-record one when the header has `source_urls`), its data rows, and how many blank
    lines were skipped.

    Raises ImportRefused for a problem with the whole file (unreadable, not UTF-8, not CSV,
    unknown or missing columns). Cells are stripped, then a "'" the export put before a cell
    a spreadsheet would evaluate is dropped (exports.restore()); fully blank lines are
    skipped; a row with fewer cells than the header has empty cells for the rest.
    """
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImportRefused(f"Cannot read {path}: {exc.strerror}.") from exc
    try:
        # utf-8-sig drops the byte-order mark that spreadsheet programs put first.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefused(
            f"Refused {name}: it is not UTF-8 text (line {line} has a byte that is not UTF-8). "
            "Save the spreadsheet as “CSV UTF-8” and try again."
        ) from exc
    if "\x00" in text:
        raise ImportRefused(
            f"Refused {name}: it contains NUL characters, so it is not a CSV text file "
            "(is it a .xlsx or .ods spreadsheet?). Save it as “CSV UTF-8” and try again."
        )

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header, layout, rows, blank_lines = None, None, [], 0
    line = 1
    try:
        for record in reader:
            cells = [restore(cell.strip()) for cell in record]
            start, line = line, reader.line_num + 1
            if not any(cells):
                blank_lines += header is not None
                continue
            if header is None:
                layout = _layout(cells, layouts)
                header = _check_header(cells, name=name, layout=layout, layouts=layouts)
                continue
            row = Row(line=start, cells=dict.fromkeys(layout.columns, ""))
            row.cells.update(zip(header, cells, strict=False))
            row.extra_cells = sum(1 for cell in cells[len(header) :] if cell)
            rows.append(row)
    except csv.Error as exc:
        raise ImportRefused(
            f"Refused {name}: line {reader.line_num} is not valid CSV ({exc}). "
            "Check for a stray quote character."
        ) from exc
    if header is None:
        raise ImportRefused(f"Refused {name}: the file is empty; it needs a header row.")
    return layout, rows, blank_lines


def _layout(cells, layouts):
    # A kind with the export's layout only reads every header as that (its check then says
    # what is missing).
    per_record = "source_urls" in (cell.lower() for cell in cells)
    return next((layout for layout in layouts if layout.per_record == per_record), layouts[0])


def _check_header(cells, *, name, layout, layouts):
    # Column names are compared without case so that "Agency" from a spreadsheet works.
    header = [cell.lower() for cell in cells]
    columns, required = layout.columns, layout.required
    repeated = sorted({column for column in header if header.count(column) > 1})
    unknown = [column for column in header if column not in columns]
    missing = [column for column in required if column not in header]
    problems = []
    if repeated:
        problems.append(f"repeated columns: {', '.join(repeated)}")
    if unknown:
        problems.append(f"unknown columns: {', '.join(column or '(empty)' for column in unknown)}")
    if missing:
        problems.append(f"missing required columns: {', '.join(missing)}")
    if problems:
        other = next((other for other in layouts if other is not layout), None)
        text = (
            f"Refused {name}: {'; '.join(problems)}. The header row (line 1) may have these "
            f"columns, in any order: {', '.join(columns)} (required: {', '.join(required)})."
        )
        if other is not None:
            text += (
                f" {_describe_layout(layout)} For {_describe_layout(other, short=True)}, the "
                f"columns are: {', '.join(other.columns)}."
            )
        raise ImportRefused(text)
    return header


def _describe_layout(layout, *, short=False):
    if layout.per_record:
        text = "one row per record, its sources in list cells (source_urls)"
    else:
        text = "one row per source (source_url)"
    return text if short else f"This header is read as {text}."


class RowReader:
    """Turns one row's cells into Python values, collecting every problem with its column
    instead of stopping at the first, so that the report lists all of them at once."""

    def __init__(self, row):
        self.row = row
        self.problems = []  # (column, message); column "" for the row as a whole

    def add_problem(self, column, message):
        # A cell read for two purposes (the country) would otherwise be reported twice.
        if (column, message) not in self.problems:
            self.problems.append((column, message))

    def messages(self, *, columns):
        """The problems as "column: message", in the order of the file's columns."""
        ordered = sorted(
            self.problems,
            key=lambda problem: columns.index(problem[0]) if problem[0] in columns else -1,
        )
        return [f"{column}: {message}" if column else message for column, message in ordered]

    def text(self, column, *, model_field=None, required=False, why="", upper=False):
        """The cell's text, upper-cased for codes (ORI, country); checked against
        `model_field` (length, validators) when given."""
        value = self.row.cells.get(column, "")
        if upper:
            value = value.upper()
        if not value:
            if required:
                self.add_problem(column, f"this column must not be empty{why}.")
            return ""
        if model_field is not None:
            self.check(column, value, model_field=model_field)
        return value

    def check(self, column, value, *, model_field):
        """Report what the model field's validators (length, format, range) say of `value`."""
        try:
            model_field.run_validators(model_field.to_python(value))
        except ValidationError as exc:
            for message in exc.messages:
                self.add_problem(column, message)
            return False
        return True

    def names(self, column, *, model_field, separator):
        """The names listed in one cell, e.g. "A; B", without blanks or repeats (any case)."""
        names = {}
        for name in self.text(column).split(separator):
            if name.strip():
                names.setdefault(name.strip().casefold(), name.strip())
        for name in names.values():
            self.check(column, name, model_field=model_field)
        return list(names.values())

    def choice(self, column, choices):
        """The stored value of a TextChoices cell, given as the value or the label (any case);
        None when the cell is empty."""
        value = self.text(column)
        if not value:
            return None
        for stored, label in choices.choices:
            if value.casefold() in (stored.casefold(), str(label).casefold()):
                return stored
        allowed = ", ".join(
            stored if stored.casefold() == str(label).casefold() else f"{stored} ({label})"
            for stored, label in choices.choices
        )
        self.add_problem(column, f"“{value}” is not an accepted value; use one of: {allowed}.")
        return None

    def date(self, column):
        """A PartialDate, or None when the cell is empty."""
        value = self.text(column)
        return self.parse_date(column, value) if value else None

    def parse_date(self, column, value):
        try:
            return PartialDate.parse(value)
        except ValidationError as exc:
            self.add_problem(column, exc.messages[0])
            return None

    def decimal(self, column, *, model_field, round_to_field=False):
        """A Decimal checked against `model_field` (digits, range); None when empty.

        With `round_to_field`, extra decimal places are rounded away instead of refused:
        coordinates copied from a map often have more places than the 6 kept (10 cm).
        """
        value = self.text(column)
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            self.add_problem(column, f"“{value}” is not a number; write it like 1234.56.")
            return None
        if not number.is_finite():
            self.add_problem(column, f"“{value}” is not a number; write it like 1234.56.")
            return None
        if round_to_field:
            places = Decimal(1).scaleb(-model_field.decimal_places)
            number = number.quantize(places, rounding=ROUND_HALF_UP)
        return number if self.check(column, number, model_field=model_field) else None

    def whole_number(self, column, *, model_field):
        """A whole number (a vote count, a number of days) checked against `model_field`;
        None when the cell is empty."""
        value = self.text(column)
        if not value:
            return None
        if not (value.isascii() and value.isdigit()):
            self.add_problem(column, f"“{value}” is not a whole number; write it like 7.")
            return None
        number = int(value)
        # SQLite has no integer bounds, so Django checks the field's range only on other
        # databases: checked here on every one, so that a file accepted on SQLite is also
        # accepted on PostgreSQL.
        _, highest = BaseDatabaseOperations.integer_field_ranges.get(
            model_field.get_internal_type(), (None, None)
        )
        if highest is not None and number > highest:
            self.add_problem(column, f"Ensure this value is less than or equal to {highest}.")
            return None
        return number if self.check(column, number, model_field=model_field) else None

    def date_order(self, start_column, start, end_column, end):
        if start and end and end.date < start.date:
            self.add_problem(end_column, f"{end.iso} is before the {start_column} {start.iso}.")


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"
