"""`restore PATH [--force]`: put back what `backup` wrote, then audit it with check_records
(apps/core/backups.py)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from apps.core import page_cache
from apps.core.backups import VENDOR_NAMES, BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into the configured database and document "
        "storage, then run check_records. Refuses a database that already holds accounts or "
        "records unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive written by `backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that is not empty (everything in it is replaced).",
        )

    def handle(self, *args, path, force=False, **options):
        try:
            result = restore_backup(path, force=force, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        # Pages and figures cached from the database as it was are out of date.
        page_cache.bump()
        self.stdout.write(
            f"Restored the {VENDOR_NAMES[result.vendor]} database "
            f"({result.database_bytes:,} bytes) and {result.documents} document(s) "
            f"({result.document_bytes:,} bytes) from the "
            f"backup made at {result.created_at}."
        )
        for note in result.notes:
            self.stderr.write(note)
        self.stdout.write("check_records:")
        try:
            call_command("check_records", stdout=self.stdout, stderr=self.stderr)
        except CommandError as exc:
            raise CommandError(f"Restored, but check_records found problems: {exc}") from None
