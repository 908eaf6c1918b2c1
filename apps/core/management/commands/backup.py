"""`backup [--output PATH]`: the database and the uploaded documents in one archive
(apps/core/backups.py)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from apps.core.backups import VENDOR_NAMES, BackupError, create_backup


def default_name():
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    return f"surveillance-tracker-{connection.vendor}-{stamp}.tar"


class Command(BaseCommand):
    help = (
        "Write one archive (.tar) of the database (PostgreSQL: pg_dump's custom format; "
        "SQLite: a consistent copy) and of every uploaded document the records name, with a "
        "manifest of checksums. Restore it with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="The archive to write (default: surveillance-tracker-<vendor>-<time>.tar "
            "in the current folder). An existing file is replaced only once the new archive "
            "is complete.",
        )

    def handle(self, *args, output=None, **options):
        path = Path(output) if output else Path.cwd() / default_name()
        try:
            result = create_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Wrote {result.path} ({result.bytes:,} bytes): the "
            f"{VENDOR_NAMES[result.vendor]} database ({result.database_bytes:,} bytes) and "
            f"{result.documents} document(s) "
            f"({result.document_bytes:,} bytes)."
        )
        if result.missing:
            self.stderr.write(
                f"{len(result.missing)} document(s) named by records are missing from "
                "storage and are not in the archive: "
                + ", ".join(result.missing[:10])
                + (" ..." if len(result.missing) > 10 else "")
            )
