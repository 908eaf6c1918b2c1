"""`python manage.py build_data_package`: build the data package /data/ serves (see
apps/opendata/package.py). Run it nightly (cron, a systemd timer) or after a large import."""

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat
from tqdm import tqdm

from apps.opendata import package


class Command(BaseCommand):
    help = (
        "Build the zip archive of every published record (one CSV and one JSON Lines file per "
        "kind, and datapackage.json) into DATA_PACKAGE_DIR, replacing the previous one once "
        "the new one is complete."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            help="Write the archive here instead of DATA_PACKAGE_DIR.",
        )

    def handle(self, *args, directory=None, verbosity=1, **options):
        # A bar per kind on a terminal's stderr (or with -v 2; never with -v 0), the counts
        # on stdout. tqdm gets the stream itself: Django's OutputWrapper would end each of
        # its redraws ("\r…") with a new line.
        terminal = self.stderr._out
        show_bars = verbosity >= 2 or (verbosity == 1 and terminal.isatty())

        def progress(kind, queryset):
            # The total costs one count query per kind.
            return tqdm(
                total=queryset.count(),
                desc=kind.key,
                unit=" records",
                file=terminal,
                disable=not show_bars,
                leave=False,
            )

        path, descriptor = package.build(directory, progress=progress)
        if verbosity:
            for resource in descriptor["resources"]:
                self.stdout.write(f"{resource['name']}: {resource['x_records']} records")
            self.stdout.write(
                self.style.SUCCESS(f"Wrote {path} ({filesizeformat(path.stat().st_size)}).")
            )
