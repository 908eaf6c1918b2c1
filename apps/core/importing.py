"""The CSV import and export machinery every kind of record shares.

An import runs in two phases so that a file is taken whole or not at all:

1. Reading: the file is decoded and parsed, the header checked, and every row's cells turned
   into Python values (dates, choices, numbers). Nothing is written. Every problem is kept
   with its line number instead of stopping at the first one.
2. Writing: inside one transaction, every row's agency, vendor, product and source is matched
   or created and its record matched or created, each new row validated with `full_clean()`.
   Checks that need the database (an ambiguous name, a model rule) are collected the same
   way. When any row was bad, or for a dry run, the transaction is rolled back.

Matching links a row only to records the importing user may link: published ones and, for a
volunteer, the pending records they added themselves. A row naming a withdrawn record, or
one waiting for someone else's review, is a bad row (the import neither links to it nor adds
it again as a duplicate). Before anything is recorded, every published record the import
created or changed is checked against the site's publication rules
(`apps.records.services.publication_refusal`): a row breaking them is a bad row too.

An accepted import is then recorded, in the same transaction, like any other change, by the
editing services (`record_import`): it is attributed to a user (`--user`). Every record it
created or changed gets ONE history version, saved once all rows are written (so a record
named by several rows has one version with all its links), with that user as the author and
"Imported from FILE.csv" as the summary, and a ChangeRequest. A reviewer's import publishes:
its ChangeRequests are approved "Import" entries, shown in recent changes and the reviewer's
contributions. A volunteer's import creates unpublished records, each (but its new sources,
published with the record citing them) with a pending "New record" ChangeRequest in the
review queue; it does not change records that existed before it.

Per-kind modules (`apps/deployments/importers.py`, `apps/contracts/importers.py`) say which
columns a kind has and how a parsed row becomes a record; this module does the rest.

A file has one of two layouts, told apart by its header: the export's, one row per record
with its sources in list cells (`source_urls`, `source_titles`, …; the kind's `columns`), or
the older one row per (record, source) (`source_url`, …; `row_per_source_columns`). The
export (apps/core/exports.py and each kind's exports.py) writes the first, so an export
re-imports; its cells escaped against formula injection are restored as they are read.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from tqdm import tqdm

from apps.accounts.roles import is_reviewer, is_volunteer
from apps.agencies.models import Agency, AgencyKind
from apps.core.exports import SOURCE_LIST_COLUMNS, restore, split_list
from apps.core.models import Visibility
from apps.core.partial_dates import PartialDate
from apps.core.places import region_code, resolve_country
from apps.records import services
from apps.sources.models import Source, SourceKind
from apps.vendors.models import Product, Vendor

AGENCY_COLUMNS = ["agency", "agency_kind", "country", "region", "locality", "agency_ori"]
COORDINATE_COLUMNS = ["latitude", "longitude"]
SOURCE_COLUMNS = ["source_url", "source_title", "source_publisher", "source_date"]
# The export's layout (one row per record) names the agency's slug too. Like the record's id
# and url, the other slugs and the linked ids, it describes the exporting database: the import
# accepts these columns and does not read them (it matches on names, ORIs and URLs).
RECORD_AGENCY_COLUMNS = [AGENCY_COLUMNS[0], "agency_slug", *AGENCY_COLUMNS[1:]]

# Below this many rows an import takes seconds, and a progress bar would only clutter output.
PROGRESS_MIN_ROWS = 500

# How the model fields of shared records are called in the file, for error messages.
AGENCY_FIELD_COLUMNS = {"name": "agency", "kind": "agency_kind", "ori": "agency_ori"}
SOURCE_FIELD_COLUMNS = {
    "url": "source_url",
    "title": "source_title",
    "publisher": "source_publisher",
    "publication_date": "source_date",
}
# The same in the export's layout, where a row lists its sources.
SOURCE_LIST_FIELD_COLUMNS = dict(zip(SOURCE_FIELD_COLUMNS, SOURCE_LIST_COLUMNS, strict=True))


class ImportRefused(Exception):
    """The file was refused: nothing was written. `problems` are lines of explanation."""

    def __init__(self, summary, *, problems=()):
        super().__init__(summary)
        self.summary = summary
        self.problems = list(problems)

    def text(self):
        return "\n".join([self.summary, *self.problems])


# ---------------------------------------------------------------------------------------------
# Reading the file


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
    per_record = "source_urls" in (cell.lower() for cell in cells)
    return next(layout for layout in layouts if layout.per_record == per_record)


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
        other = next(other for other in layouts if other is not layout)
        raise ImportRefused(
            f"Refused {name}: {'; '.join(problems)}. The header row (line 1) may have these "
            f"columns, in any order: {', '.join(columns)} (required: {', '.join(required)}). "
            f"{_describe_layout(layout)} For {_describe_layout(other, short=True)}, the "
            f"columns are: {', '.join(other.columns)}."
        )
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

    def date_order(self, start_column, start, end_column, end):
        if start and end and end.date < start.date:
            self.add_problem(end_column, f"{end.iso} is before the {start_column} {start.iso}.")


# ---------------------------------------------------------------------------------------------
# What a row says about the agency and the source every kind has


@dataclass(frozen=True)
class AgencyRef:
    """An agency as a row describes it; matched or created by Resolver.agency()."""

    name: str
    country: str
    region: str = ""
    kind: str | None = None
    locality: str = ""
    ori: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class SourceRef:
    url: str
    title: str = ""
    publisher: str = ""
    published: PartialDate | None = None
    listed: bool = False  # read from the list cells of a one-row-per-record file

    @property
    def columns(self):
        """The file's columns for the source's fields, for messages."""
        return SOURCE_LIST_FIELD_COLUMNS if self.listed else SOURCE_FIELD_COLUMNS


def _field(model, name):
    return model._meta.get_field(name)


def read_country_region(reader, *, region_column):
    """The row's country (default US, the model default) and region, each typed as a code or
    a name (United States, Oregon, US-OR) and stored as the code; one message per bad cell."""
    country = reader.text("country") or "US"
    region = reader.text(region_column)
    try:
        country = resolve_country(country)
    except ValidationError as exc:
        reader.add_problem("country", exc.messages[0])
        return country.upper(), region.upper()  # its regions are unknown: one message is enough
    try:
        region = region_code(region, country)
    except ValidationError as exc:
        reader.add_problem(region_column, exc.messages[0])
        region = region.upper()
    return country, region


def read_agency(reader):
    country, region = read_country_region(reader, region_column="region")
    latitude = reader.decimal(
        "latitude", model_field=_field(Agency, "latitude"), round_to_field=True
    )
    longitude = reader.decimal(
        "longitude", model_field=_field(Agency, "longitude"), round_to_field=True
    )
    if bool(reader.row.cells.get("latitude")) != bool(reader.row.cells.get("longitude")):
        reader.add_problem("longitude", "give both latitude and longitude, or neither.")
    return AgencyRef(
        name=read_agency_name(reader, "agency", required=True),
        kind=reader.choice("agency_kind", AgencyKind),
        country=country,
        region=region,
        locality=reader.text("locality", model_field=_field(Agency, "locality")),
        ori=reader.text("agency_ori", model_field=_field(Agency, "ori"), upper=True),
        latitude=latitude,
        longitude=longitude,
    )


def read_source(reader):
    return SourceRef(
        url=reader.text(
            "source_url",
            model_field=_field(Source, "url"),
            required=True,
            why=": a published record cites at least one source",
        ),
        title=reader.text("source_title", model_field=_field(Source, "title")),
        publisher=reader.text("source_publisher", model_field=_field(Source, "publisher")),
        published=reader.date("source_date"),
    )


def read_sources(reader):
    """The sources of a per-record row: the URLs in `source_urls`, with the title, publisher
    and date at the same place in the other list cells (an empty cell: none given)."""
    urls = split_list(
        reader.text(
            "source_urls", required=True, why=": a published record cites at least one source"
        )
    )
    if "" in urls:
        reader.add_problem("source_urls", "a URL in the list is empty (two separators in a row?).")
        return []
    repeated = sorted({url for url in urls if urls.count(url) > 1})
    if repeated:
        reader.add_problem("source_urls", f"lists {', '.join(repeated)} more than once.")
        return []
    given = {}
    for column in SOURCE_LIST_COLUMNS[1:]:
        values = split_list(reader.text(column))
        if values and len(values) != len(urls):
            reader.add_problem(
                column,
                f"has {plural(len(values), 'value')} for {plural(len(urls), 'URL')} in "
                "source_urls: give one per URL, in the same order, or leave it empty.",
            )
            return []
        given[column] = values or [""] * len(urls)
    refs = []
    for url, title, publisher, date in zip(urls, *given.values(), strict=True):
        ok = reader.check("source_urls", url, model_field=_field(Source, "url"))
        if title:
            ok = reader.check("source_titles", title, model_field=_field(Source, "title")) and ok
        if publisher:
            ok = (
                reader.check(
                    "source_publishers", publisher, model_field=_field(Source, "publisher")
                )
                and ok
            )
        published = reader.parse_date("source_dates", date) if date else None
        if ok:
            refs.append(
                SourceRef(
                    url=url, title=title, publisher=publisher, published=published, listed=True
                )
            )
    return refs


def read_record_id(reader):
    """The `id` column of an exported row: informational, but the rows are written in its
    order (see run_import), so it must be a whole number when given."""
    value = reader.text("id")
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        reader.add_problem(
            "id",
            f"“{value}” is not a record id (a whole number). The id column only says what the "
            "record was called where it was exported; it may be left empty.",
        )
        return None
    return int(value)


def read_ids(reader, column):
    """The whole numbers listed in a list cell (`deployment_ids`), without repeats."""
    ids = []
    for value in split_list(reader.text(column)):
        if not (value.isascii() and value.isdigit()):
            reader.add_problem(column, f"“{value}” is not a record id (a whole number).")
        elif int(value) not in ids:
            ids.append(int(value))
    return ids


def read_agency_name(reader, column, *, required=False):
    return reader.text(column, model_field=_field(Agency, "name"), required=required)


def read_vendor_name(reader, column, *, required=False):
    return reader.text(column, model_field=_field(Vendor, "name"), required=required)


def read_product_name(reader, column):
    return reader.text(column, model_field=_field(Product, "name"))


def read_product_names(reader, column, *, separator):
    return reader.names(column, model_field=_field(Product, "name"), separator=separator)


# ---------------------------------------------------------------------------------------------
# Writing: matching or creating records, and counting what happened


def _column(field_name, columns):
    """The file's column for a model field: renamed in `columns`, a partial date's precision
    under its date, anything else under its own name."""
    if field_name in columns:
        return columns[field_name]
    return field_name.removesuffix("_precision")


def full_clean(instance, *, columns):
    """Validate `instance` like a form would, naming the file's columns in the messages.

    The slug is left out: save() makes a unique one from the name.
    """
    exclude = ["slug"] if hasattr(instance, "slug") and not instance.slug else []
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationError(
            {
                _column(name, columns) if name != NON_FIELD_ERRORS else NON_FIELD_ERRORS: messages
                for name, messages in exc.message_dict.items()
            }
        ) from exc


def row_problem(column, message):
    return ValidationError({column: [message]})


@dataclass
class Tally:
    """What an import did to one model. Objects are counted once, however many rows name
    them: an object this import created counts as created, never also as matched."""

    created: set = field(default_factory=set)
    matched: set = field(default_factory=set)
    skipped_rows: int = 0  # rows whose record existed and that added nothing to it
    citations: int = 0  # sources newly attached to records

    def note(self, instance, *, created):
        if created:
            self.created.add(instance.pk)
        elif instance.pk not in self.created:
            self.matched.add(instance.pk)


@dataclass(frozen=True)
class Attribution:
    """Who an import is recorded as. A reviewer's import publishes what it creates; a
    volunteer's creates pending records for review. `user` is None only for a dry run, which
    is then checked as a reviewer's import would be."""

    user: object
    summary: str  # the versions' and the changes' summary: "Imported from FILE.csv"

    @property
    def publishes(self):
        return self.user is None or is_reviewer(self.user)

    @property
    def visibility(self):
        return Visibility.PUBLISHED if self.publishes else Visibility.PENDING


class Resolver:
    """Matches or creates the shared records of an import, remembering what it resolved so
    that a file naming the same agency on every row does not look it up every time, and
    which records the import created or changed, for their history versions."""

    def __init__(self, attribution):
        self.attribution = attribution
        self.tallies = {}
        self.notes = []  # things worth knowing that do not refuse the file
        self.line = None  # the row being written, for the notes
        # Creates and changes the records through the gateway, which versions each once
        # when the import is accepted.
        self.batch = services.RecordBatch(
            user=attribution.user, summary=attribution.summary, publishes=attribution.publishes
        )
        self.lines = {}  # (model, pk) -> the first line that created or changed it
        # (model, pk) -> the file's `id` of the row that first created or matched the record:
        # a row with another id is another record, and never matches it (see record()).
        self.claims = {}
        self._agencies, self._vendors, self._products, self._sources = {}, {}, {}, {}

    def tally(self, label):
        return self.tallies.setdefault(label, Tally())

    def note(self, message):
        self.notes.append(f"line {self.line}: {message}")

    def _create(self, model, *, columns, **values):
        """A new record, saved once full_clean() accepted it (errors named by column)."""
        instance = self.batch.create(
            model, validate=lambda instance: full_clean(instance, columns=columns), **values
        )
        self.lines.setdefault((model, instance.pk), self.line)
        return instance

    def created_here(self, instance):
        """Whether this import created `instance` (a volunteer's import may change only those)."""
        return self.batch.created(instance)

    def may_change(self, instance):
        return self.attribution.publishes or self.created_here(instance)

    def may_link(self, instance):
        """Whether a row may link to `instance`: a published record, one this import
        created, or for a volunteer's import a pending record the volunteer added. Never a
        withdrawn record, nor one waiting for someone else's review."""
        if instance.visibility == Visibility.PUBLISHED or self.created_here(instance):
            return True
        user = self.attribution.user
        return (
            not self.attribution.publishes
            and instance.visibility == Visibility.PENDING
            and type(instance).objects.filter(pk=instance.pk).authored_by(user).exists()
        )

    def linkable(self, found, *, column, named):
        """`found` (or None) when a row may link to it; else the row is refused."""
        if found is None or self.may_link(found):
            return found
        raise row_problem(column, _not_linkable(found, named))

    def only_linkable(self, candidates, *, column, named):
        """The `candidates` a row may link to; the row is refused when there were some but
        it may link to none, rather than adding the hidden record again as a duplicate."""
        linkable = [candidate for candidate in candidates if self.may_link(candidate)]
        if candidates and not linkable:
            raise row_problem(column, _not_linkable(candidates[0], named))
        return linkable

    def _match_or_create(self, label, found, *, new, source=None):
        """`found`, counted as matched; or, when it is None, the record `new()` creates,
        counted as created and citing `source` (the row's source names it)."""
        if found is not None:
            self.tally(label).note(found, created=False)
            return found
        instance = new()
        if source is not None:
            instance.sources.add(source)
        self.tally(label).note(instance, created=True)
        return instance

    def _missing_links(self, record, links, *, fresh=False):
        """{relation name: the targets in `links` that `record` does not link to yet}; a
        `fresh` record (just created) links to nothing yet."""
        missing = {}
        for name, targets in links.items():
            targets = list(dict.fromkeys(targets))
            if targets and not fresh:
                linked = set(getattr(record, name).values_list("pk", flat=True))
                targets = [target for target in targets if target.pk not in linked]
            if targets:
                missing[name] = targets
        return missing

    def _link(self, record, missing):
        for name, targets in missing.items():
            self.batch.link(record, name, targets)
        self.lines.setdefault((type(record), record.pk), self.line)

    def source(self, ref):
        """The source with the row's URL, or a new one from the row (kind "other")."""
        if ref.url not in self._sources:
            self._sources[ref.url] = self._match_or_create(
                "Sources",
                self.linkable(
                    Source.objects.filter(url=ref.url).first(),
                    column=ref.columns["url"],
                    named=f"the URL {ref.url}",
                ),
                new=lambda: self._new_source(ref),
            )
        return self._sources[ref.url]

    def _new_source(self, ref):
        if not ref.title:
            raise row_problem(
                ref.columns["title"],
                f"a new source needs a title (no source has the URL {ref.url} yet).",
            )
        return self._create(
            Source,
            columns=ref.columns,
            url=ref.url,
            title=ref.title,
            publisher=ref.publisher,
            **date_fields("publication_date", ref.published),
            kind=SourceKind.OTHER,
        )

    def agency(self, ref, *, source, columns=AGENCY_FIELD_COLUMNS):
        """Match by ORI, then by name or alias within the region; else create from the row."""
        if ref not in self._agencies:
            self._agencies[ref] = self._match_or_create(
                "Agencies",
                self._find_agency(ref, columns=columns),
                source=source,
                new=lambda: self._create(
                    Agency,
                    columns=columns,
                    name=ref.name,
                    kind=ref.kind or AgencyKind.OTHER,
                    country=ref.country,
                    region=ref.region,
                    locality=ref.locality,
                    ori=ref.ori,
                    latitude=ref.latitude,
                    longitude=ref.longitude,
                ),
            )
        return self._agencies[ref]

    def _find_agency(self, ref, *, columns):
        if ref.ori:
            found = Agency.objects.filter(ori=ref.ori).select_related("merged_into").first()
            if found is not None:
                # A merged duplicate keeps its ORI; its records now belong to the survivor.
                return self.linkable(
                    found.merged_into or found,
                    column=_column("ori", columns),
                    named=f"the ORI {ref.ori}",
                )
        named = Agency.objects.matching_name(ref.name, ref.region).filter(country=ref.country)
        candidates = list(named.order_by("pk")[:10])
        if ref.ori:
            # An agency of that name with another ORI is another agency, or a mistake.
            others = [agency for agency in candidates if agency.ori]
            candidates = [agency for agency in candidates if not agency.ori]
            if others and not candidates:
                raise row_problem(
                    _column("ori", columns),
                    f"no agency has the ORI {ref.ori}, and {_describe(others)} "
                    f"{'has' if len(others) == 1 else 'have'} another ORI: check the ORI.",
                )
        candidates = self.only_linkable(
            candidates, column=_column("name", columns), named=f"“{ref.name}”"
        )
        if len(candidates) > 1:
            raise row_problem(
                _column("name", columns),
                f"“{ref.name}” matches {len(candidates)} agencies: {_describe(candidates)}. "
                "Give the ORI (or the region) to pick one.",
            )
        return candidates[0] if candidates else None

    def vendor(self, name, *, source, column):
        """Match by name or alias; else create."""
        key = name.casefold()
        if key not in self._vendors:
            candidates = self.only_linkable(
                list(Vendor.objects.matching_name(name).order_by("pk")[:10]),
                column=column,
                named=f"“{name}”",
            )
            if len(candidates) > 1:
                raise row_problem(
                    column,
                    f"“{name}” matches {len(candidates)} vendors: {_describe(candidates)}. "
                    "Merge them first, or use a name only one of them has.",
                )
            self._vendors[key] = self._match_or_create(
                "Vendors",
                candidates[0] if candidates else None,
                source=source,
                new=lambda: self._create(Vendor, columns={"name": column}, name=name),
            )
        return self._vendors[key]

    def product(self, name, *, vendor, source, column, technology=None):
        """The vendor's product of that name, else a new one; with no vendor, the one product
        anywhere with that name. A `technology` (what a deployment of it does) is added to
        the product's technologies when missing."""
        key = (vendor.pk if vendor else None, name.casefold())
        if key not in self._products:
            if vendor is None:
                found = self._only_product_named(name)
            else:
                found = self.linkable(
                    Product.objects.filter(vendor=vendor, name__iexact=name).first(),
                    column=column,
                    named=f"“{name}”",
                )
            self._products[key] = self._match_or_create(
                "Products",
                found,
                source=source,
                new=lambda: self._new_product(name, vendor=vendor, column=column),
            )
        product = self._products[key]
        if technology is not None:
            self._add_technology(product, technology)
        return product

    def _new_product(self, name, *, vendor, column):
        self._note_same_name_elsewhere(name, vendor=vendor)
        return self._create(
            Product, columns={"name": column, "vendor": column}, vendor=vendor, name=name
        )

    def _add_technology(self, product, technology):
        missing = self._missing_links(product, {"technologies": [technology]})
        if not missing:
            return
        if self.may_change(product):
            self._link(product, missing)
        else:
            self.note(
                f"product {_describe([product])} does not list {technology} among its "
                "technologies; a volunteer's import leaves existing records unchanged, so it "
                "was not added (a reviewer can add it)."
            )

    def _only_product_named(self, name):
        candidates = self.only_linkable(
            list(
                Product.objects.filter(name__iexact=name)
                .select_related("vendor")
                .order_by("pk")[:10]
            ),
            column="product",
            named=f"“{name}”",
        )
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise row_problem(
                "vendor", f"no product is called “{name}” yet, so the vendor must be given."
            )
        vendors = _describe([product.vendor for product in candidates])
        raise row_problem(
            "vendor",
            f"{len(candidates)} vendors sell a product called “{name}” ({vendors}): "
            "give the vendor.",
        )

    def _note_same_name_elsewhere(self, name, *, vendor):
        # Only public products are mentioned: a note must not name hidden records.
        elsewhere = Product.objects.published().filter(name__iexact=name).exclude(vendor=vendor)
        elsewhere = elsewhere.filter(vendor__visibility=Visibility.PUBLISHED)
        elsewhere = list(elsewhere.select_related("vendor")[:3])
        if elsewhere:
            vendors = _describe([product.vendor for product in elsewhere])
            self.note(
                f"a product “{name}” was created for {vendor}, though {vendors} already "
                "sells one of that name; check the vendor."
            )

    def record(self, model, *, label, key, values, sources, file_id=None, columns=None, links=None):
        """Match the record with the natural `key`, or create it from `key` and `values`.

        A matched record is never overwritten: only links are added, the row's source if it
        is not cited yet (several rows of one record are one way several sources are written) and
        the targets in `links` ({relation name: records}) it does not link to yet. Values of
        the row that differ from the stored ones are mentioned in the notes. A volunteer's
        import may add links only to records it created: a row that would add some to an
        existing record is a bad row.

        `file_id` is the row's `id` (the exporting database's): rows with different ids are
        different records, even with the same natural key (the site lets two contracts share
        agency, vendor, title and signed date). See _find_record().
        """
        tally = self.tally(label)
        columns = columns or {}
        found = self._find_record(model, key, file_id=file_id)
        if found is not None:
            record, created = found, False
        else:
            record, created = self._create(model, columns=columns, **key, **values), True
        if file_id is not None:
            self.claims.setdefault((model, record.pk), file_id)
        missing = self._missing_links(record, {"sources": sources, **(links or {})}, fresh=created)
        if missing and not self.may_change(record):
            raise ValidationError(_volunteer_cannot_change(record, missing))
        if not created:
            self._note_differences(record, values=values, columns=columns)
        tally.note(record, created=created)
        if missing:
            self._link(record, missing)
        self.tally("Sources").citations += len(missing.get("sources", ()))
        if not (created or missing):
            tally.skipped_rows += 1
        return record

    def _find_record(self, model, key, *, file_id):
        """The existing record a row with the natural `key` names, or None (create one).

        Without a `file_id` (the one-row-per-source layout, which repeats a record over
        several rows), the one record with that key, whichever rows named it before; several
        are refused. With one, the records an earlier row with another id created or matched
        are left out: the row takes the one its id already claimed, else the first other one
        (by id), so that importing the same file again pairs each row with its own record
        and creates nothing.
        """
        matches = model._default_manager.filter(**key).order_by("pk")
        if file_id is None:
            matches = list(matches[:3])
            if len(matches) > 1:
                ids = ", ".join(f"#{match.pk}" for match in matches)
                raise ValidationError(
                    f"the row matches several existing {model._meta.verbose_name_plural} "
                    f"({ids}); merge them first."
                )
        else:
            claims = [(self.claims.get((model, match.pk)), match) for match in matches]
            matches = [match for claim, match in claims if claim == file_id] or [
                match for claim, match in claims if claim is None
            ]
            # A withdrawn or hidden record is only named when nothing else is left for the row.
            matches = self.only_linkable(matches, column=NON_FIELD_ERRORS, named="The row")[:1]
        if matches and not self.may_link(matches[0]):
            raise ValidationError(_not_linkable(matches[0], "The row"))
        return matches[0] if matches else None

    def _note_differences(self, record, *, values, columns):
        # In the order of `values`, which is the file's order of columns.
        differing = list(
            dict.fromkeys(
                _column(name, columns)
                for name, value in values.items()
                if getattr(record, name) != value
            )
        )
        if differing:
            self.note(
                f"kept {record._meta.verbose_name} #{record.pk} as stored; the "
                f"file's {', '.join(differing)} differ{'s' if len(differing) == 1 else ''} "
                "(an import never overwrites)."
            )


def _not_linkable(record, named):
    noun = record._meta.verbose_name
    if record.visibility == Visibility.WITHDRAWN:
        return (
            f"{named} names {noun_with_article(noun)} that was withdrawn from the registry: an "
            "import neither links to it nor adds it again. A reviewer can restore it first "
            "(from its history page); otherwise correct the row."
        )
    return (
        f"{named} names {noun_with_article(noun)} that is waiting for review and not public: "
        "an import cannot link to it, nor add it again. Import this row once it is approved."
    )


def noun_with_article(noun):
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _volunteer_cannot_change(record, missing):
    additions = "; ".join(
        f"{name}: {', '.join(str(target) for target in targets)}"
        for name, targets in missing.items()
    )
    return (
        f"{record._meta.verbose_name} #{record.pk} ({record}) already exists, and a "
        f"volunteer's import only adds new records, so it cannot add ({additions}) to it. "
        "Edit the record on the site, or ask a reviewer to import this file."
    )


def _describe(instances):
    return ", ".join(
        f"{instance}" + (f" ({instance.slug})" if getattr(instance, "slug", "") else "")
        for instance in instances
    )


# ---------------------------------------------------------------------------------------------
# Running an import


class Importer:
    """One kind of record. A subclass sets the class attributes and writes parse() and save();
    the agency and source columns every kind has are read and matched here."""

    kind = ""  # the command's name for the kind: "deployments"
    label = ""  # the summary's name for its records: "Deployments"
    columns = []  # every column a file may have: the export's layout, one row per record
    row_per_source_columns = []  # every column of the older layout, one row per source
    required = []  # columns the header must have (in the one-row-per-source layout)
    tally_labels = []  # the other models the summary reports, in order

    def parse(self, reader):
        """The kind's own values from a row, as a dict (problems go to the reader)."""
        raise NotImplementedError

    def save(self, row, resolver):
        """Match or create the row's record with `resolver.record()`."""
        raise NotImplementedError

    def layouts(self):
        per_source_required = self.required
        per_record_required = [
            "source_urls" if column == "source_url" else column for column in self.required
        ]
        return [
            Layout(columns=self.columns, required=per_record_required, per_record=True),
            Layout(
                columns=self.row_per_source_columns,
                required=per_source_required,
                per_record=False,
            ),
        ]


@dataclass
class ParsedRow:
    line: int
    agency: AgencyRef
    sources: list  # SourceRefs: one, or a per-record row's several
    values: dict  # what the importer's parse() returned
    record_id: int | None = None  # the exported `id`, which orders the writing

    @property
    def source(self):
        """The source that new agencies, vendors and products of the row cite."""
        return self.sources[0]


@dataclass
class Report:
    """What an accepted import did (or, for a dry run, would do)."""

    name: str
    rows: int
    blank_lines: int
    dry_run: bool
    labels: list
    tallies: dict
    notes: list
    attribution: Attribution
    recorded: int = 0  # records with a new version (created or changed)
    pending: int = 0  # of which waiting for review

    def lines(self):
        if self.dry_run:
            lines = [
                f"Dry run of {self.name}: {plural(self.rows, 'row')}, all valid. Nothing was "
                "saved; the import would give:"
            ]
        else:
            lines = [f"Imported {self.name}: {plural(self.rows, 'row')}."]
        for index, label in enumerate(self.labels):
            tally = self.tallies.get(label, Tally())
            line = f"{label}: {len(tally.created)} created, {len(tally.matched)} matched"
            if index == 0:
                line += f", {plural(tally.skipped_rows, 'row')} skipped (nothing new)"
            if label == "Sources":
                line += f", {plural(tally.citations, 'citation')} added"
            lines.append(line)
        if self.blank_lines:
            lines.append(f"Blank lines ignored: {self.blank_lines}.")
        lines.extend(self.attribution_lines())
        if self.notes:
            lines.append("Notes (these did not stop the import):")
            lines.extend(f"  {note}" for note in self.notes)
        return lines

    def attribution_lines(self):
        user = self.attribution.user
        if user is None:
            return []
        if self.dry_run:
            outcome = "published" if self.attribution.publishes else "held for review"
            return [f"As {user.get_username()}'s import, new records would be {outcome}."]
        lines = [
            f"History: {plural(self.recorded, 'record')} created or changed, each with a "
            f"version by {user.get_username()}: “{self.attribution.summary}”."
        ]
        if self.attribution.publishes:
            lines.append("Published at once (a reviewer's import).")
        else:
            lines.append(
                f"Waiting for review: {plural(self.pending, 'new record')} in the review "
                "queue (/review/), not public until a reviewer approves them."
            )
        return lines

    def text(self):
        return "\n".join(self.lines())


def run_import(importer, *, path, user=None, dry_run=False, progress_file=None):
    """Import the CSV file at `path` whole, or raise ImportRefused having changed nothing.

    `user` is who the import is recorded as (required unless `dry_run`): a reviewer's import
    publishes, a volunteer's waits for review (see the module's docstring)."""
    name = Path(path).name
    if user is None and not dry_run:
        raise ImportRefused(
            "An import is recorded in history as someone's change: name the user (--user)."
        )
    if user is not None and not is_volunteer(user):
        raise ImportRefused(
            f"{user.get_username()} may not import: only active volunteers and reviewers "
            "edit the registry."
        )
    attribution = Attribution(user=user, summary=f"Imported from {name}")
    layout, rows, blank_lines = read_csv(path, layouts=importer.layouts())
    problems = {}  # line -> messages
    parsed = []
    for row in rows:
        reader = RowReader(row)
        if row.extra_cells:
            reader.add_problem(
                "",
                f"the row has {plural(row.extra_cells, 'more cell')} than the header has "
                "columns (is there an unquoted comma in a cell?).",
            )
        agency = read_agency(reader)
        sources = read_sources(reader) if layout.per_record else [read_source(reader)]
        record_id = read_record_id(reader) if layout.per_record else None
        values = importer.parse(reader)
        if reader.problems:
            problems[row.line] = reader.messages(columns=layout.columns)
        else:
            parsed.append(
                ParsedRow(
                    line=row.line,
                    agency=agency,
                    sources=sources,
                    values=values,
                    record_id=record_id,
                )
            )
    # Written in the order of their exported ids (rows without one after, in file order), so
    # that an export imported into an empty database numbers its records as the exporting
    # database did, and exports again to the identical file.
    parsed.sort(key=lambda row: (row.record_id is None, row.record_id or 0, row.line))

    # The good rows are written even when some are bad, so that the report also lists the
    # problems only the database shows; the transaction is then rolled back.
    resolver = Resolver(attribution)
    recorded = pending = 0
    with transaction.atomic():
        _write(importer, parsed, resolver=resolver, problems=problems, progress_file=progress_file)
        if not problems:
            _check_publication_rules(resolver, problems)
        if problems or dry_run:
            transaction.set_rollback(True)
        else:
            recorded, pending = len(resolver.batch.touched), resolver.batch.finish()

    if problems:
        raise ImportRefused(
            f"Refused {name}: {plural(len(problems), 'bad row')} of {len(rows)}; "
            "nothing was imported.",
            problems=[
                f"line {line}: {message}" for line in sorted(problems) for message in problems[line]
            ],
        )
    return Report(
        name=name,
        rows=len(rows),
        blank_lines=blank_lines,
        dry_run=dry_run,
        labels=[importer.label, *importer.tally_labels],
        tallies=resolver.tallies,
        notes=resolver.notes,
        attribution=attribution,
        recorded=recorded,
        pending=pending,
    )


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _resolve_agency(row, resolver):
    # Every source first, in the row's order, so that new sources are numbered in the order
    # the file lists them.
    sources = [resolver.source(ref) for ref in row.sources]
    resolver.agency(row.agency, source=sources[0])


def _write(importer, rows, *, resolver, problems, progress_file):
    # Every row's own agency is resolved before any record, so that a counterparty named by
    # one row finds the agency another row describes in full (kind, ORI), whatever the order.
    for description, step in (
        ("Matching agencies", _resolve_agency),
        ("Importing rows", importer.save),
    ):
        for row in _progress(rows, description=description, file=progress_file):
            if row.line in problems:
                continue
            resolver.line = row.line
            try:
                step(row, resolver)
            except ValidationError as exc:
                problems[row.line] = _messages(exc)
            except DatabaseError as exc:
                # The transaction cannot go on after a database error (PostgreSQL refuses any
                # further query in it): stop here; everything is rolled back.
                problems[row.line] = [f"the database refused the row ({exc}); the import stopped."]
                return


def _check_publication_rules(resolver, problems):
    """The site's publication rules, checked on every record the import created or changed
    as it now stands: a published record may link only to published records and must cite a
    published source. A record breaking them is reported at the first line that wrote it."""
    for instance, refusal in resolver.batch.refusals():
        line = resolver.lines[(type(instance), instance.pk)]
        problems.setdefault(line, []).append(f"{instance._meta.verbose_name} {instance}: {refusal}")


def _progress(rows, *, description, file):
    # disable=None: tqdm shows the bar only on a terminal, never in logs or captured output.
    disable = True if len(rows) < PROGRESS_MIN_ROWS else None
    return tqdm(rows, desc=description, unit="row", file=file, disable=disable, leave=False)


def _messages(error):
    if not hasattr(error, "error_dict"):
        return error.messages
    return [
        message if column == NON_FIELD_ERRORS else f"{column}: {message}"
        for column, messages in error.message_dict.items()
        for message in messages
    ]


# ---------------------------------------------------------------------------------------------
# Exporting: cells in the form the import reads


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


def date_fields(name, partial):
    """The two model fields of a partial date (`name`, `name`_precision) as keyword values."""
    if partial is None:
        return {name: None, f"{name}_precision": ""}
    return {name: partial.date, f"{name}_precision": partial.precision}


def given_values(**values):
    """The row's values for a record's fields, leaving out empty cells so that a new record
    gets the model's default and a matched one is only compared on what the row says."""
    result = {}
    for name, value in values.items():
        if isinstance(value, PartialDate):
            result.update(date_fields(name, value))
        elif value not in (None, ""):
            result[name] = value
    return result
