"""The data package: every published record of every exported kind, in one zip archive.

The archive holds, for each kind with a RecordExport, `<kind>.csv` (exactly the columns and
cells of the list's CSV export, /<kind>/export.csv) and `<kind>.jsonl` (one line per record,
each the object of the list's JSON export), plus `datapackage.json`, a Frictionless Data
Package (https://specs.frictionlessdata.io/) whose table schemas describe the CSV files.

The build reads each kind once, through the kind's own list selector (published records
only, the list's default order) and its export, in the export's chunks, so memory stays flat
however many records there are. It writes to a temporary file beside the archive and renames
it over the previous one only when everything is written: a reader never sees half an
archive, and a failed build leaves the previous archive in place.
"""

import csv
import datetime
import io
import json
import os
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, models, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import capfirst, slugify

from apps.core import page_cache
from apps.core.exports import LIST_SEPARATOR, json_default, neutralise
from apps.records.registry import all_kinds

DESCRIPTOR_NAME = "datapackage.json"
# A partial date as the CSV writes it: 2017, 2017-05 or 2017-05-20 (Table Schema's pattern
# is matched against the whole cell).
PARTIAL_DATE_PATTERN = r"\d{4}(-\d{2}(-\d{2})?)?"
PARTIAL_DATE = {
    "type": "string",
    "format": "default",
    "constraints": {"pattern": PARTIAL_DATE_PATTERN},
}
LIST_NOTE = (
    f'several values are separated by "{LIST_SEPARATOR}", and a "|" inside a value is doubled'
)

# Columns that are not a field of the kind's model, or whose cell is not the field's value:
# what they hold and how they are typed.
SHARED_COLUMNS = {
    "id": {"type": "integer", "description": "The record's number on this site."},
    "url": {"type": "string", "format": "uri", "description": "The record's page on this site."},
    "agency": {"description": "The agency's name."},
    "agency_slug": {"description": "The agency: its slug in agencies.csv."},
    "agency_kind": {"description": "The agency's kind (agencies.csv, kind)."},
    "agency_ori": {"description": "The agency's FBI ORI code, when it has one."},
    "vendor_slug": {"description": "The vendor: its slug in vendors.csv."},
    "latitude": {"type": "number", "description": "The agency's latitude."},
    "longitude": {"type": "number", "description": "The agency's longitude."},
    "source_urls": {"description": f"Addresses of the published sources it cites; {LIST_NOTE}."},
    "source_titles": {"description": f"Their titles, in the same order; {LIST_NOTE}."},
    "source_publishers": {"description": f"Their publishers, in the same order; {LIST_NOTE}."},
    "source_dates": {
        "description": f"Their publication dates (YYYY, YYYY-MM or YYYY-MM-DD); {LIST_NOTE}."
    },
    "deployment_ids": {"description": f"Ids in deployments.csv; {LIST_NOTE}."},
    "contract_ids": {"description": f"Ids in contracts.csv; {LIST_NOTE}."},
    "nda_ids": {"description": f"Ids in ndas.csv; {LIST_NOTE}."},
    "released_document_urls": {
        "description": f"Addresses of the sources released in response; {LIST_NOTE}."
    },
    "aliases": {"description": f"Other names; {LIST_NOTE}."},
    "deployment_count": {
        "type": "integer",
        "description": "How many published deployments are of this technology.",
    },
    "agency_count": {
        "type": "integer",
        "description": "How many agencies those deployments are of.",
    },
}
# Columns of one kind whose cell is a partial date held by a differently named model field.
PARTIAL_DATE_COLUMNS = {("oversight", "date"), ("sources", "published")}
# Columns holding one record of another file, by a column unique there.
FOREIGN_KEYS = {"agency_slug": ("agencies", "slug"), "vendor_slug": ("vendors", "slug")}


def exported_kinds():
    """The kinds in the package: those with a CSV export, in their display order."""
    return [kind for kind in all_kinds() if kind.export and kind.list_selector]


def _model_field(model, column):
    try:
        field = model._meta.get_field(column)
    except Exception:  # FieldDoesNotExist, or a reverse relation's name
        return None
    return field if getattr(field, "concrete", False) else None


def _is_partial_date(model, field):
    names = {f.name for f in model._meta.concrete_fields}
    return isinstance(field, models.DateField) and f"{field.name}_precision" in names


def field_descriptor(kind, column):
    """The Table Schema field of one CSV column: its type from the model field of the same
    name (partial dates as strings with a pattern), or from SHARED_COLUMNS."""
    model = kind.model
    field = _model_field(model, column)
    descriptor = {"name": column, "type": "string"}
    if field is not None and not field.is_relation:
        descriptor["description"] = str(field.help_text or field.verbose_name)
        if _is_partial_date(model, field):
            descriptor.update(PARTIAL_DATE)
        elif isinstance(field, models.BooleanField):
            descriptor["type"] = "boolean"
        elif isinstance(field, models.IntegerField | models.AutoField):
            descriptor["type"] = "integer"
        elif isinstance(field, models.DecimalField | models.FloatField):
            descriptor["type"] = "number"
        elif isinstance(field, models.DateTimeField):
            descriptor["type"] = "datetime"
        elif isinstance(field, models.DateField):
            descriptor["type"] = "date"
        if field.choices and descriptor["type"] == "string":
            # The cell holds the choice's value (the import reads it back): the validator
            # then checks it is one of them.
            descriptor["constraints"] = {"enum": [str(value) for value, _ in field.flatchoices]}
    elif field is not None:
        descriptor["description"] = f"{field.verbose_name} (its name): {field.help_text}"
    if (kind.key, column) in PARTIAL_DATE_COLUMNS:
        descriptor.update(PARTIAL_DATE)
    descriptor.update(SHARED_COLUMNS.get(column, {}))
    descriptor.setdefault("description", column.replace("_", " "))
    if column == "id":
        descriptor["constraints"] = {"required": True, "unique": True}
    return descriptor


def table_schema(kind, kind_keys):
    columns = kind.export_class.columns
    schema = {
        "fields": [field_descriptor(kind, column) for column in columns],
        "missingValues": [""],
        "primaryKey": ["id"],
    }
    foreign_keys = [
        {"fields": [column], "reference": {"resource": resource, "fields": [target]}}
        for column, (resource, target) in FOREIGN_KEYS.items()
        if column in columns and resource in kind_keys and resource != kind.key
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def site_url():
    return settings.SITE_URL.rstrip("/")


def licence():
    return {
        "name": settings.DATA_LICENSE_NAME,
        "path": settings.DATA_LICENSE_URL,
        "title": settings.DATA_LICENSE_TITLE,
    }


def package_name():
    return slugify(settings.SITE_NAME) or "registry"


def archive_path(directory=None):
    directory = Path(directory or settings.DATA_PACKAGE_DIR)
    return directory / f"{package_name()}-data.zip"


class SiteRequest:
    """What a RecordExport asks of a request, for a build outside one: absolute addresses,
    on the site's public address (SITE_URL)."""

    def build_absolute_uri(self, location):
        return site_url() + location


@contextmanager
def _consistent_snapshot():
    """One snapshot of the database for the whole build, so that what one file refers to
    (a deployment's agency) is in the other (agencies.csv) even while editors publish: on
    PostgreSQL a read-only REPEATABLE READ transaction. SQLite's transactions here take the
    write lock (transaction_mode IMMEDIATE), so there the build reads without one; so does
    a build inside a transaction already begun (a test's), which has its own snapshot."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


@dataclass
class BuiltKind:
    key: str
    count: int


def _member(name, created):
    """A file of the archive, dated with the build (not zipfile's default of 1980)."""
    info = zipfile.ZipInfo(name, date_time=created.astimezone(datetime.UTC).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _write_kind(archive, kind, export, progress, created):
    """Write `<kind>.csv` and `<kind>.jsonl` from one read of the kind's published records."""
    result = kind.list_selector_function(params=QueryDict())
    queryset = result.queryset
    count = 0
    bar = progress(kind, queryset)
    # The JSON Lines go to a temporary file while the CSV streams into the archive (a zip
    # has one member open for writing at a time), then are copied in after it.
    with tempfile.TemporaryFile() as jsonl:
        with archive.open(_member(f"{kind.key}.csv", created), "w", force_zip64=True) as member:
            text = io.TextIOWrapper(member, encoding="utf-8", newline="")
            # The export's CSV dialect (apps/core/exports.csv_response).
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(export.columns)
            for row, record in export.csv_rows_and_json(queryset):
                writer.writerow([neutralise(cell) for cell in row])
                jsonl.write(json.dumps(record, default=json_default).encode() + b"\n")
                count += 1
                bar.update(1)
            text.flush()
            text.detach()
        jsonl.seek(0)
        with archive.open(_member(f"{kind.key}.jsonl", created), "w", force_zip64=True) as member:
            shutil.copyfileobj(jsonl, member)
    bar.close()
    return count


class _Silent:
    def update(self, n):
        pass

    def close(self):
        pass


def silent_progress(kind, queryset):
    return _Silent()


def descriptor(built, sizes, created):
    kinds = {kind.key: kind for kind in exported_kinds()}
    base = site_url()
    return {
        "profile": "tabular-data-package",
        "name": package_name(),
        "title": f"{settings.SITE_NAME}: every published record",
        "description": (
            "Government surveillance technology: which public agencies use which technologies, "
            "bought from which vendors, under which contracts and NDAs, with which public "
            "process and records requests, and the sources each record cites. One CSV file "
            "per kind of record (the columns of the site's list exports) and the same records "
            "as JSON Lines (<kind>.jsonl). Published records only."
        ),
        "homepage": f"{base}/data/",
        "created": created.astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "licenses": [licence()],
        "sources": [{"title": settings.SITE_NAME, "path": f"{base}/"}],
        "keywords": ["surveillance", "government", "procurement", "public records"],
        "resources": [
            {
                "name": item.key,
                "path": f"{item.key}.csv",
                "profile": "tabular-data-resource",
                "title": capfirst(str(kinds[item.key].plural)),
                "description": (
                    f"Published {kinds[item.key].plural}: one row per record, as "
                    f"{base}/{item.key}/export.csv gives them. The same records, as JSON "
                    f"objects, are in {item.key}.jsonl."
                ),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": sizes[item.key],
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": table_schema(kinds[item.key], set(kinds)),
                # Not a Data Package property (its readers ignore it): the /data/ page's counts.
                "x_records": item.count,
                "x_jsonl": f"{item.key}.jsonl",
            }
            for item in built
        ],
    }


def build(directory=None, *, progress=silent_progress):
    """Build the archive into `directory` (DATA_PACKAGE_DIR), replacing the previous one
    only once the new one is complete. Returns (path, descriptor)."""
    target = archive_path(directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
    )
    os.close(handle)
    try:
        with (
            _consistent_snapshot(),
            zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            created = timezone.now()
            built = []
            for kind in exported_kinds():
                export = kind.export_class(SiteRequest())
                built.append(
                    BuiltKind(kind.key, _write_kind(archive, kind, export, progress, created))
                )
            sizes = {item.key: archive.getinfo(f"{item.key}.csv").file_size for item in built}
            package = descriptor(built, sizes, created)
            archive.writestr(
                _member(DESCRIPTOR_NAME, created), json.dumps(package, indent=2, ensure_ascii=False)
            )
        # mkstemp's file is private (0600); the archive is public.
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        # /data/ shows the new build's date and row counts (a process of its own: with the
        # page cache in Redis, the site's pages learn it from there).
        page_cache.changed()
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target, package


@dataclass
class ArchiveInfo:
    path: Path
    size: int
    modified: datetime.datetime
    descriptor: dict

    @property
    def created(self):
        return datetime.datetime.fromisoformat(self.descriptor["created"])

    @property
    def resources(self):
        return self.descriptor.get("resources", [])

    @property
    def etag(self):
        stat = self.path.stat()
        return f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'


def archive_info(directory=None):
    """The built archive (its size, time and descriptor), or None when none has been built
    (or it cannot be read)."""
    path = archive_path(directory)
    try:
        with zipfile.ZipFile(path) as archive:
            package = json.loads(archive.read(DESCRIPTOR_NAME))
        stat = path.stat()
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    modified = datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC)
    return ArchiveInfo(path=path, size=stat.st_size, modified=modified, descriptor=package)
