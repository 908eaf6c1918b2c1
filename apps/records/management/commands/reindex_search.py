"""Rebuild the site-wide search index from the published records (apps/records/search.py):
after an upgrade that brings the index, or to repair it."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.core import page_cache
from apps.records.search import indexed_kinds, reindex


class Command(BaseCommand):
    help = "Rebuild the search index of published records (all kinds, or those named)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="Kind keys, e.g. agencies sources.")

    def handle(self, *args, kinds, **options):
        known = {kind.key: kind for kind in indexed_kinds()}
        unknown = [key for key in kinds if key not in known]
        if unknown:
            raise CommandError(
                f"Not indexed kinds: {', '.join(unknown)}. Choose from {', '.join(known)}."
            )
        chosen = [known[key] for key in kinds] or list(known.values())

        def progress(kind, count):
            self.stdout.write(f"{kind.key}: {count} indexed")

        with transaction.atomic():
            reindex(chosen, progress=progress)
            # Bulk writes, no signals: stored search pages and lists' `q` results are renewed.
            page_cache.changed()
