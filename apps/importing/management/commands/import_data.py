"""`python manage.py import_data KIND FILE.csv --user USERNAME [--dry-run]`, KIND being one of
the registry's importable kinds (deployments, contracts, ndas, records-requests,
response-deadlines, oversight).

The file format is described in docs/import.md. A file with any bad row imports nothing. The
import is recorded in history as the user's change: a reviewer's import publishes, a
volunteer's waits in the review queue.
"""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.importing.reading import ImportRefused
from apps.importing.runner import run_import
from apps.records.registry import get_kind, importable_kinds


def _or_list(words):
    """ "a, b or c" """
    return " or ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


class Command(BaseCommand):
    @property
    def help(self):
        # The kinds come from the registry, which is filled once the apps are ready.
        kinds = _or_list([str(kind.plural) for kind in importable_kinds()])
        return (
            f"Import {kinds} from a CSV file (UTF-8, header row first; "
            "the columns are in docs/import.md): one row per record as the site's CSV exports "
            "write it, or for deployments, contracts and NDAs one row per source. Agencies, "
            "vendors, products and sources are matched or created. The file is imported whole "
            "or not at all: if any row is bad, nothing is saved and every bad row is listed "
            "with its line number. Every record "
            "created or changed gets a version in its history by --user; a reviewer's import "
            "publishes, a volunteer's waits for review."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "kind",
            choices=sorted(kind.key for kind in importable_kinds()),
            help="What the file holds.",
        )
        parser.add_argument("path", metavar="FILE.csv", help="The CSV file to import.")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=(
                "Who the import is recorded as, in history and in the review queue: a "
                "reviewer's import is published, a volunteer's waits for review. Required "
                "unless --dry-run."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what the import would do, without saving anything.",
        )

    def handle(self, *args, kind, path, dry_run, user=None, **options):
        importer = get_kind(kind).importer_class()
        try:
            report = run_import(
                importer,
                path=path,
                user=self._user(user, dry_run=dry_run),
                dry_run=dry_run,
                # The raw stream: the command's wrapper would end tqdm's updates with newlines.
                progress_file=options.get("stderr") or sys.stderr,
            )
        except ImportRefused as refused:
            raise CommandError(refused.text()) from None
        self.stdout.write(report.text())

    def _user(self, username, *, dry_run):
        if not username:
            if dry_run:
                return None
            raise CommandError(
                "Name the user the import is recorded as: --user USERNAME (a volunteer's or "
                "a reviewer's username). Only --dry-run runs without one."
            )
        model = get_user_model()
        try:
            return model._default_manager.get_by_natural_key(username)
        except model.DoesNotExist:
            raise CommandError(
                f"No user has the username “{username}”. Check the spelling (it is the name "
                "used to sign in), or invite the person first."
            ) from None
