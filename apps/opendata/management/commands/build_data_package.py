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
        def progress(kind, queryset):
            # A bar per kind on stderr (the count costs one query a kind); the summary line
            # goes to stdout.
            return tqdm(
                total=queryset.count(),
                desc=kind.key,
                unit=" records",
                file=self.stderr._out,
                disable=verbosity < 2 and not self.stderr._out.isatty(),
                leave=False,
            )

        path, descriptor = package.build(directory, progress=progress)
        if verbosity:
            for resource in descriptor["resources"]:
                self.stdout.write(f"{resource['name']}: {resource['x_records']} records")
            self.stdout.write(
                self.style.SUCCESS(f"Wrote {path} ({filesizeformat(path.stat().st_size)}).")
            )
