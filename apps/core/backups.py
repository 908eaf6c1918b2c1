"""Backups of the whole registry in one file, and their restoration (`manage.py backup`,
`manage.py restore`).

An archive is an uncompressed tar file holding:

- `manifest.json`: when it was made, the database's vendor, the migrations applied to it,
  and the size and SHA-256 checksum of every other file in the archive;
- the database: on PostgreSQL `database.dump`, a `pg_dump --format=custom` of the
  configured database (already compressed); on SQLite `database.sqlite3`, a consistent copy
  made with SQLite's online backup API (never a raw copy of a live file);
- `documents/<name>`: every uploaded file that a file field of a record or of one of its
  history versions names (the sources' documents, replaced ones included, so that a revert
  finds its document), read and written through Django's storage API, so documents in
  object storage are backed up and restored like those under MEDIA_ROOT.

On PostgreSQL the dump and the list of documents are read in one snapshot: the documents
are exactly those the dumped rows name. Nothing is written until the archive is complete
(it is built beside its destination and renamed into place), and a restore checks the whole
archive (manifest, vendor, checksums) before it changes anything; PostgreSQL's restore runs
in a single transaction.

This module reads the models only through Django's registry of apps: it names none of the
domain apps, so it stays in the bottom layer (apps.core)."""

import contextlib
import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, connections, models
from django.db.migrations.loader import MigrationLoader

FORMAT = "surveillance-tracker-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
DOCUMENTS = "documents/"
CHUNK = 1024 * 1024
# libpq connection parameters that Django's OPTIONS may carry and pg_dump needs as well.
LIBPQ_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "service", "passfile")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for a person."""


@dataclass
class BackupResult:
    path: Path
    bytes: int
    vendor: str
    database_bytes: int
    documents: int
    document_bytes: int
    missing: list = field(default_factory=list)


@dataclass
class RestoreResult:
    vendor: str
    database_bytes: int
    documents: int
    document_bytes: int
    created_at: str
    notes: list = field(default_factory=list)


# --- What is backed up -------------------------------------------------------------------


def document_columns():
    """(table, column) of every file field of every model and of its history versions
    (django-simple-history keeps a file field as text in its versions)."""
    columns = set()
    for model in apps.get_models():
        original = getattr(model, "instance_type", None) or model  # a history model's record
        for model_field in original._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                columns.add((model._meta.db_table, model_field.column))
    return sorted(columns)


def _document_names(cursor, quote, tables):
    """Every file name the rows name, read through a DB-API cursor of either vendor."""
    names = set()
    for table, column in document_columns():
        if table not in tables:
            continue
        # Table and column names come from the models' metadata, quoted by the backend.
        table, column = quote(table), quote(column)
        sql = f"SELECT DISTINCT {column} FROM {table} WHERE {column} <> ''"  # nosec B608 # quoted
        cursor.execute(sql)
        names.update(row[0] for row in cursor.fetchall())
    return sorted(names)


def _migrations(cursor):
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return [list(row) for row in cursor.fetchall()]


def _sha256_file(path):
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class _HashingReader:
    """A file object that counts and hashes what is read through it (for tarfile)."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.bytes = 0

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        self.bytes += len(data)
        return data


# --- PostgreSQL's tools ------------------------------------------------------------------


def _pg_tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed or not on the PATH; it comes with PostgreSQL's client "
            "programs (Debian: apt-get install postgresql-client), of the server's major "
            "version or newer."
        )
    return path


def _pg_connection(settings_dict):
    """The libpq connection string (no password) and environment (the password, if any) for
    the database `settings_dict` describes: a password never appears on a command line."""
    from psycopg.conninfo import make_conninfo

    options = settings_dict.get("OPTIONS") or {}
    params = {
        "dbname": settings_dict.get("NAME") or None,
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
        "user": settings_dict.get("USER") or None,
        **{key: options[key] for key in LIBPQ_OPTIONS if options.get(key)},
    }
    env = {**os.environ}
    env.pop("PGPASSWORD", None)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    conninfo = make_conninfo(**{key: value for key, value in params.items() if value})
    return conninfo, env


def _run(command, env, what):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip()
        raise BackupError(f"{what} failed (exit status {result.returncode}):\n{message}")
    return result


# --- Backup ------------------------------------------------------------------------------


def create_backup(output, *, using="default", storage=None):
    """Write the archive of database `using` and its documents to `output` (a path)."""
    storage = storage or default_storage
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    output = Path(output).resolve()
    if output.is_dir():
        raise BackupError(f"{output} is a folder: give the archive's file name.")
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")

    with tempfile.TemporaryDirectory(prefix="backup-") as work:
        database_file = Path(work) / DATABASE_FILES[vendor]
        if vendor == "postgresql":
            names, migrations = _dump_postgresql(connection, database_file)
        else:
            names, migrations = _copy_sqlite(connection, database_file)
        partial = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed into place below
            dir=output.parent, prefix=f".{output.name}.", suffix=".partial", delete=False
        )
        partial.close()
        try:
            result = _write_archive(
                Path(partial.name), vendor, database_file, names, migrations, storage
            )
            os.replace(partial.name, output)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial.name)
    result.path = output
    result.bytes = output.stat().st_size
    return result


def _dump_postgresql(connection, target):
    """pg_dump of the database, and the documents and migrations its rows name, all read in
    one snapshot (a read-only, repeatable-read transaction that pg_dump joins)."""
    import psycopg

    pg_dump = _pg_tool("pg_dump")
    conninfo, env = _pg_connection(connection.settings_dict)
    # A connection of its own (not Django's, which may be in a transaction or a pool).
    password = connection.settings_dict.get("PASSWORD")
    try:
        raw = psycopg.connect(conninfo, **({"password": str(password)} if password else {}))
    except psycopg.Error as exc:
        raise BackupError(f"Could not connect to the database: {exc}") from None
    try:
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    f"--dbname={conninfo}",
                ],
                env,
                "pg_dump",
            )
            tables = set(connection.introspection.table_names(cursor))
            names = _document_names(cursor, connection.ops.quote_name, tables)
            migrations = _migrations(cursor) if "django_migrations" in tables else []
        raw.rollback()
    finally:
        raw.close()
    return names, migrations


def _copy_sqlite(connection, target):
    """A consistent copy through SQLite's backup API (it works on a live database, in WAL
    mode or not, and on the tests' in-memory one), made self-contained (no -wal file)."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {row[0] for row in cursor.fetchall()}
        names = _document_names(cursor, connection.ops.quote_name, tables)
        migrations = _migrations(cursor) if "django_migrations" in tables else []
    finally:
        copy.close()
    return names, migrations


def _write_archive(path, vendor, database_file, names, migrations, storage):
    database_bytes = database_file.stat().st_size
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": {
            "vendor": vendor,
            "file": database_file.name,
            "bytes": database_bytes,
            "sha256": _sha256_file(database_file),
        },
        "migrations": migrations,
        "documents": [],
        "missing_documents": [],
    }
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as archive:
        archive.add(database_file, arcname=database_file.name)
        for name in names:
            if not storage.exists(name):
                manifest["missing_documents"].append(name)
                continue
            info = tarfile.TarInfo(DOCUMENTS + name)
            info.size = storage.size(name)
            info.mtime = int(datetime.datetime.now().timestamp())
            with storage.open(name, "rb") as handle:
                reader = _HashingReader(handle)
                archive.addfile(info, reader)
            manifest["documents"].append(
                {"name": name, "bytes": reader.bytes, "sha256": reader.digest.hexdigest()}
            )
        data = json.dumps(manifest, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(datetime.datetime.now().timestamp())
        archive.addfile(info, _BytesReader(data))
    return BackupResult(
        path=path,
        bytes=0,
        vendor=vendor,
        database_bytes=database_bytes,
        documents=len(manifest["documents"]),
        document_bytes=sum(entry["bytes"] for entry in manifest["documents"]),
        missing=manifest["missing_documents"],
    )


class _BytesReader:
    def __init__(self, data):
        self.data, self.position = data, 0

    def read(self, size=-1):
        end = len(self.data) if size is None or size < 0 else self.position + size
        chunk = self.data[self.position : end]
        self.position += len(chunk)
        return chunk


# --- Reading an archive ------------------------------------------------------------------


def read_manifest(archive, path):
    """The archive's manifest, checked for shape; BackupError when it is not one of ours."""
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise BackupError(
            f"{path} is not a Surveillance Tracker backup: it has no {MANIFEST}."
        ) from None
    try:
        manifest = json.loads(archive.extractfile(member).read())
    except (ValueError, tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path}: its {MANIFEST} cannot be read ({exc}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Surveillance Tracker backup (unknown manifest).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup of format version {manifest.get('format_version')!r}; this "
            f"version of the software reads version {FORMAT_VERSION}."
        )
    try:
        database = manifest["database"]
        valid = (
            database["vendor"] in DATABASE_FILES
            and database["file"] == DATABASE_FILES[database["vendor"]]
            and isinstance(database["bytes"], int)
            and isinstance(database["sha256"], str)
            and isinstance(manifest["migrations"], list)
            and all(
                isinstance(entry["name"], str)
                and isinstance(entry["bytes"], int)
                and isinstance(entry["sha256"], str)
                for entry in manifest["documents"]
            )
        )
    except (KeyError, TypeError):
        valid = False
    if not valid:
        raise BackupError(f"{path}: its {MANIFEST} is incomplete or damaged.")
    for entry in manifest["documents"]:
        _safe_document_name(entry["name"], path)
    return manifest


def _safe_document_name(name, path):
    """A storage name as Django stores one: relative, with no way out of the storage."""
    parts = Path(name).parts
    if not name or Path(name).is_absolute() or ".." in parts or "\\" in name or "\x00" in name:
        raise BackupError(f"{path}: the document name {name!r} is not a safe storage name.")


def _open_archive(path):
    path = Path(path)
    if not path.exists():
        raise BackupError(f"No backup at {path}.")
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    try:
        return tarfile.open(path, "r:")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(
            f"{path} is not a backup archive (not a readable tar file: {exc})."
        ) from None


def _verify_member(archive, name, expected_bytes, expected_sha256, path, copy_to=None):
    """Check one member's size and checksum, copying it to `copy_to` if given."""
    try:
        member = archive.getmember(name)
        handle = archive.extractfile(member)
    except KeyError:
        raise BackupError(f"{path} is incomplete: {name} is missing from it.") from None
    if handle is None or member.size != expected_bytes:
        raise BackupError(f"{path} is damaged: {name} is not the size its manifest gives.")
    digest = hashlib.sha256()
    out = open(copy_to, "wb") if copy_to else None  # noqa: SIM115 - closed below
    try:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            if out:
                out.write(chunk)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} is damaged: {name} cannot be read ({exc}).") from None
    finally:
        if out:
            out.close()
    if digest.hexdigest() != expected_sha256:
        raise BackupError(f"{path} is damaged: the checksum of {name} does not match.")


# --- Restore -----------------------------------------------------------------------------


def database_contents(using="default"):
    """What the database holds that someone entered: (user accounts, history versions).
    A database with no tables, or only what migrations put there, holds (0, 0)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        counts = []
        for group in (_user_tables(), _history_tables()):
            total = 0
            for table in sorted(group & tables):
                sql = f"SELECT COUNT(*) FROM {quote(table)}"  # nosec B608 # a model's, quoted
                cursor.execute(sql)
                total += cursor.fetchone()[0]
            counts.append(total)
    return tuple(counts)


def _user_tables():
    from django.contrib.auth import get_user_model

    return {get_user_model()._meta.db_table}


def _history_tables():
    return {
        model._meta.db_table
        for model in apps.get_models()
        if getattr(model, "instance_type", None) is not None
    }


def restore_backup(path, *, using="default", storage=None, force=False, log=None):
    """Replace database `using` and the documents with the archive at `path`. Everything is
    checked before anything is written. `log(text)` hears about each step."""
    storage = storage or default_storage
    log = log or (lambda text: None)
    connection = connections[using]
    notes = []
    with _open_archive(path) as archive:
        manifest = read_manifest(archive, path)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"{path} is a backup of a {VENDOR_NAMES[vendor]} database, and the configured "
                f"database is {VENDOR_NAMES.get(connection.vendor, connection.vendor)}: restore "
                f"it into a {VENDOR_NAMES[vendor]} database (DATABASE_URL)."
            )
        unknown = _unknown_migrations(manifest["migrations"])
        if unknown and not force:
            raise BackupError(
                f"{path} was made by a newer version of the software: its database has "
                f"{len(unknown)} migration(s) this version does not know (e.g. "
                f"{'.'.join(unknown[0])}). Restore it with that version, or use --force."
            )
        try:
            users, versions = database_contents(using)
        except DatabaseError as exc:
            raise BackupError(f"Could not read the configured database: {exc}") from None
        if (users or versions) and not force:
            raise BackupError(
                f"The configured database is not empty: it holds {users} user account(s) "
                f"and {versions} history version(s) of records. A restore replaces them all; "
                "to do that, run it again with --force."
            )

        with tempfile.TemporaryDirectory(prefix="restore-") as work:
            database = manifest["database"]
            database_file = Path(work) / database["file"]
            log(f"Checking {path} ...")
            _verify_member(
                archive,
                database["file"],
                database["bytes"],
                database["sha256"],
                path,
                copy_to=database_file,
            )
            for entry in manifest["documents"]:
                _verify_member(
                    archive, DOCUMENTS + entry["name"], entry["bytes"], entry["sha256"], path
                )
            log(f"Restoring the {VENDOR_NAMES[vendor]} database ...")
            if vendor == "postgresql":
                _restore_postgresql(connection, database_file)
            else:
                _restore_sqlite(connection, database_file)

        log(f"Restoring {len(manifest['documents'])} document(s) ...")
        for entry in manifest["documents"]:
            _restore_document(archive, entry["name"], storage)

    missing = _unapplied_migrations(manifest["migrations"])
    if missing:
        notes.append(
            f"The backup's database lacks {len(missing)} migration(s) of this version: run "
            "`python manage.py migrate`."
        )
    if manifest.get("missing_documents"):
        notes.append(
            f"{len(manifest['missing_documents'])} document(s) named by records were already "
            "missing from storage when the backup was made."
        )
    return RestoreResult(
        vendor=vendor,
        database_bytes=manifest["database"]["bytes"],
        documents=len(manifest["documents"]),
        document_bytes=sum(entry["bytes"] for entry in manifest["documents"]),
        created_at=manifest.get("created_at", "?"),
        notes=notes,
    )


def _disk_migrations():
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _unknown_migrations(applied):
    """Migrations of this project's apps in the archive that this code does not have."""
    on_disk = _disk_migrations()
    labels = {app_config.label for app_config in apps.get_app_configs()}
    return [tuple(entry) for entry in applied if entry[0] in labels and tuple(entry) not in on_disk]


def _unapplied_migrations(applied):
    applied = {tuple(entry) for entry in applied}
    return sorted(_disk_migrations() - applied)


def _restore_postgresql(connection, database_file):
    pg_restore = _pg_tool("pg_restore")
    conninfo, env = _pg_connection(connection.settings_dict)
    connections.close_all()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={conninfo}",
            str(database_file),
        ],
        env,
        "pg_restore (nothing was changed: it runs in one transaction)",
    )


def _restore_sqlite(connection, database_file):
    """Check the archived copy, then copy it into the configured database through SQLite's
    backup API: the target is replaced in one locked step, its -wal file included, never
    left half-written."""
    check = sqlite3.connect(database_file)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"The archived SQLite database cannot be read: {exc}") from None
    finally:
        check.close()
    if result != "ok":
        raise BackupError(f"The archived SQLite database is damaged: {result}")
    target_name = connection.settings_dict["NAME"]
    connections.close_all()
    source = sqlite3.connect(database_file)
    target = sqlite3.connect(target_name, uri=str(target_name).startswith("file:"))
    try:
        source.backup(target)
    except sqlite3.Error as exc:
        raise BackupError(f"Could not write the SQLite database {target_name}: {exc}") from None
    finally:
        target.close()
        source.close()


def _restore_document(archive, name, storage):
    """Write one document under its own name (replacing a file of that name)."""
    if storage.exists(name):
        storage.delete(name)
    handle = archive.extractfile(archive.getmember(DOCUMENTS + name))
    saved = storage.save(name, File(handle, name=name))
    if saved != name:
        raise BackupError(f"The storage saved the document {name} as {saved}.")
