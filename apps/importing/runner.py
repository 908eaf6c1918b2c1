"""Running an import: the Importer base class each kind's importer extends, run_import()
(read every row, write the good ones in one transaction, roll back unless every row and
the publication rules passed) and the Report it prints."""

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from tqdm import tqdm

from apps.accounts.roles import is_volunteer

from .reading import ImportRefused, Layout, RowReader, plural, read_csv
from .resolver import Attribution, Resolver, Tally
from .shared_cells import AgencyRef, read_agency, read_record_id, read_source, read_sources

# Below this many rows an import takes seconds, and a progress bar would only clutter output.
PROGRESS_MIN_ROWS = 500


class Importer:
    """One kind of record. A subclass sets the class attributes and writes parse() and save();
    the agency and source columns every kind has are read and matched here."""

    kind = ""  # the command's name for the kind: "deployments"
    label = ""  # the summary's name for its records: "Deployments"
    columns = []  # every column a file may have: the export's layout, one row per record
    # Every column of the older layout, one row per source; empty for a kind that only
    # reads the export's layout (records requests, oversight events: there are no older
    # spreadsheets of them to read).
    row_per_source_columns = []
    required = []  # columns the header must have (in the one-row-per-source layout)
    tally_labels = []  # the other models the summary reports, in order
    # Whether a row names an agency (AGENCY_COLUMNS, read and matched here); a response
    # deadline names a jurisdiction instead.
    has_agency = True

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
        layouts = [Layout(columns=self.columns, required=per_record_required, per_record=True)]
        if self.row_per_source_columns:
            layouts.append(
                Layout(
                    columns=self.row_per_source_columns,
                    required=per_source_required,
                    per_record=False,
                )
            )
        return layouts


@dataclass
class ParsedRow:
    line: int
    agency: AgencyRef | None  # None for a kind without an agency
    sources: list  # SourceRefs: one, or a per-record row's several
    values: dict  # what the importer's parse() returned
    record_id: int | None = None  # the exported `id`, which orders the writing

    @property
    def source(self):
        """The source that new agencies, vendors and products of the row cite."""
        return self.sources[0]

    @property
    def pinpoints(self):
        """{source URL: pinpoint} of the row's record's citations that give a page or quote."""
        return {ref.url: ref.pinpoint for ref in self.sources if ref.pinpoint}


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
        agency = read_agency(reader) if importer.has_agency else None
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


def _resolve_agency(row, resolver):
    # Every source first, in the row's order, so that new sources are numbered in the order
    # the file lists them.
    sources = [resolver.source(ref) for ref in row.sources]
    if row.agency is not None:
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
            resolver.line, resolver.pinpoints = row.line, row.pinpoints
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
