"""`manage.py backup` and `manage.py restore` (apps/core/backups.py).

The round trip loads the demo data (records, their history versions and uploaded PDFs, all
through the write path), backs it up, restores the archive in a separate process into an
EMPTY database (a new SQLite file, or a new PostgreSQL database with nothing migrated) and
document folder, and compares every table row by row and every document byte by byte; the
restore runs check_records, which must find nothing. Each vendor's test runs only on its
own vendor. The data is committed (a transactional test): pg_dump reads from a connection
of its own, which cannot see a test's uncommitted rows."""

import io
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from apps.core import backups
from apps.sources.models import Source
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
round_trip = pytest.mark.django_db(transaction=True, serialized_rollback=True)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL path (pg_dump / pg_restore)"
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite path (SQLite's backup API)"
)


def load_demo():
    from apps.demo.loader import load_demo_data

    result = load_demo_data()
    assert Source.objects.exclude(document="").exists(), "the demo data uploads documents"
    return result


def table_rows(raw, tables):
    """Every row of every table, in an order that does not depend on how they were read."""
    cursor = raw.cursor()
    rows = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')
        rows[table] = sorted(repr(row) for row in cursor.fetchall())
    cursor.close()
    return rows


def restore_in_a_new_process(archive, database_url, media_root):
    """`manage.py restore` as a maintainer runs it, on a fresh server: nothing but the
    archive, an empty database and an empty document folder."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "restore", str(archive)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def assert_documents_identical(manifest, media_root):
    names = set(Source.objects.exclude(document="").values_list("document", flat=True))
    archived = {entry["name"] for entry in manifest["documents"]}
    assert names <= archived  # every current document, and those of older versions
    assert manifest["missing_documents"] == []
    for name in archived:
        original = Path(settings.MEDIA_ROOT) / name
        assert (media_root / name).read_bytes() == original.read_bytes(), name


def backup_to(tmp_path):
    out = io.StringIO()
    archive = tmp_path / "backup.tar"
    call_command("backup", output=str(archive), stdout=out)
    assert f"Wrote {archive}" in out.getvalue()
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["database"]["vendor"] == connection.vendor
    assert ["records", "0001_initial"] in manifest["migrations"]
    return archive, manifest


def assert_restored_cleanly(result):
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Restored the" in result.stdout
    # check_records's own line: nothing to report on the restored database.
    assert "Checked " in result.stdout and "published records" in result.stdout


@sqlite_only
@round_trip
def test_sqlite_backup_restores_into_a_new_file_with_every_row_and_document(tmp_path):
    load_demo()
    archive, manifest = backup_to(tmp_path)
    restored_file = tmp_path / "restored" / "db.sqlite3"
    restored_file.parent.mkdir()
    restored_media = tmp_path / "restored-media"

    result = restore_in_a_new_process(archive, f"sqlite:///{restored_file}", restored_media)

    assert_restored_cleanly(result)
    tables = connection.introspection.table_names()
    detect_types = connection.get_connection_params()["detect_types"]
    restored = sqlite3.connect(restored_file, detect_types=detect_types)
    try:
        restored_tables = {
            row[0]
            for row in restored.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        assert set(tables) <= restored_tables
        connection.ensure_connection()
        assert table_rows(restored, tables) == table_rows(connection.connection, tables)
    finally:
        restored.close()
    assert_documents_identical(manifest, restored_media)


@postgresql_only
@round_trip
def test_postgresql_backup_restores_into_an_empty_database_with_every_row_and_document(
    tmp_path,
):
    import psycopg

    load_demo()
    archive, manifest = backup_to(tmp_path)
    source = connection.settings_dict
    params = {
        "host": source["HOST"] or None,
        "port": source["PORT"] or None,
        "user": source["USER"] or None,
        "password": source["PASSWORD"] or None,
    }
    params = {key: value for key, value in params.items() if value}
    name = f"st_restore_{secrets.token_hex(4)}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = source["USER"] + (f":{source['PASSWORD']}" if source["PASSWORD"] else "")
        url = f"postgres://{auth}@{source['HOST'] or 'localhost'}:{source['PORT'] or 5432}/{name}"
        result = restore_in_a_new_process(archive, url, tmp_path / "restored-media")

        assert_restored_cleanly(result)
        tables = connection.introspection.table_names()
        with (
            psycopg.connect(dbname=name, **params) as restored,
            psycopg.connect(dbname=source["NAME"], **params) as original,
        ):
            assert table_rows(restored, tables) == table_rows(original, tables)
        assert_documents_identical(manifest, tmp_path / "restored-media")
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- Bad input: a clear CommandError, and nothing written ----------------------------------


def write_archive(path, manifest, members=None):
    with tarfile.open(path, "w") as tar:
        for name, data in {**(members or {}), "manifest.json": json.dumps(manifest)}.items():
            data = data.encode() if isinstance(data, str) else data
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def small_manifest(vendor, database=b"not really a database", documents=()):
    import hashlib

    return {
        "format": backups.FORMAT,
        "format_version": backups.FORMAT_VERSION,
        "created_at": "2026-01-01T00:00:00+00:00",
        "database": {
            "vendor": vendor,
            "file": backups.DATABASE_FILES[vendor],
            "bytes": len(database),
            "sha256": hashlib.sha256(database).hexdigest(),
        },
        "migrations": [],
        "documents": [
            {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in documents
        ],
        "missing_documents": [],
    }


def restore_error(path, **options):
    with pytest.raises(CommandError) as error:
        call_command("restore", str(path), stdout=io.StringIO(), **options)
    return str(error.value)


def test_a_missing_archive_is_named(db, tmp_path):
    assert restore_error(tmp_path / "nope.tar") == f"No backup at {tmp_path / 'nope.tar'}."


def test_a_file_that_is_not_an_archive_is_refused(db, tmp_path):
    path = tmp_path / "junk.tar"
    path.write_bytes(b"\x00garbage" * 200)
    assert "is not a backup archive" in restore_error(path)


def test_an_archive_without_a_manifest_is_refused(db, tmp_path):
    path = tmp_path / "other.tar"
    with tarfile.open(path, "w") as tar:
        tar.addfile(tarfile.TarInfo("hello.txt"), io.BytesIO(b""))
    assert "is not a Surveillance Tracker backup" in restore_error(path)


def test_an_archive_of_the_other_vendor_is_refused(db, tmp_path):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    manifest = small_manifest(other)
    path = write_archive(tmp_path / "other.tar", manifest, {manifest["database"]["file"]: "x"})
    message = restore_error(path, force=True)
    assert f"is a backup of a {backups.VENDOR_NAMES[other]} database" in message
    assert f"the configured database is {backups.VENDOR_NAMES[connection.vendor]}" in message


def test_a_database_holding_accounts_is_not_replaced_without_force(db, tmp_path):
    UserFactory()
    manifest = small_manifest(connection.vendor)
    path = write_archive(tmp_path / "b.tar", manifest, {manifest["database"]["file"]: "x"})
    assert "The configured database is not empty: it holds 1 user account" in restore_error(path)


def test_a_damaged_document_stops_the_restore_before_anything_is_written(db, tmp_path):
    user = UserFactory()
    database = b"not really a database"
    manifest = small_manifest(
        connection.vendor, database, documents=[("sources/a.pdf", b"%PDF-1.4 original")]
    )
    path = write_archive(
        tmp_path / "b.tar",
        manifest,
        {
            manifest["database"]["file"]: database,
            "documents/sources/a.pdf": b"%PDF-1.4 tampered",
        },
    )
    message = restore_error(path, force=True)
    assert message.endswith("is damaged: the checksum of documents/sources/a.pdf does not match.")
    assert type(user).objects.filter(pk=user.pk).exists()
    assert not (Path(settings.MEDIA_ROOT) / "sources" / "a.pdf").exists()


def test_a_document_name_leaving_the_storage_is_refused(db, tmp_path):
    manifest = small_manifest(connection.vendor, documents=[("../../etc/x", b"x")])
    path = write_archive(tmp_path / "b.tar", manifest)
    assert "is not a safe storage name" in restore_error(path, force=True)


def test_backup_to_a_missing_folder_writes_nothing(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", output=str(tmp_path / "no" / "b.tar"), stdout=io.StringIO())
    assert not (tmp_path / "no").exists()
