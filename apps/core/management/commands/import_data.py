"""`python manage.py import_data {deployments,contracts,ndas} FILE.csv [--dry-run]`.

The file format is described in docs/import.md. A file with any bad row imports nothing.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from apps.contracts.importers import ContractImporter, NdaImporter
from apps.core.importing import ImportRefused, run_import
from apps.deployments.importers import DeploymentImporter

IMPORTERS = {
    importer.kind: importer for importer in (DeploymentImporter, ContractImporter, NdaImporter)
}


class Command(BaseCommand):
    help = (
        "Import deployments, contracts or NDAs from a CSV file (UTF-8, header row first; "
        "the columns are in docs/import.md). Agencies, vendors, products and sources are "
        "matched or created. The file is imported whole or not at all: if any row is bad, "
        "nothing is saved and every bad row is listed with its line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS), help="What the file holds.")
        parser.add_argument("path", metavar="FILE.csv", help="The CSV file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what the import would do, without saving anything.",
        )

    def handle(self, *args, kind, path, dry_run, **options):
        importer = IMPORTERS[kind]()
        try:
            report = run_import(
                importer,
                path=path,
                dry_run=dry_run,
                # The raw stream: the command's wrapper would end tqdm's updates with newlines.
                progress_file=options.get("stderr") or sys.stderr,
            )
        except ImportRefused as refused:
            raise CommandError(refused.text()) from None
        self.stdout.write(report.text())
