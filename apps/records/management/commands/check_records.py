"""`check_records`: the publication rules, checked on the whole database.

Every writer (the site's forms and review queue, imports, merges, reverts, withdrawals, the
demo loader, the admin) must leave every published record linking only to published records,
citing at least one published source, and with at least one history version. This lists
every record that breaks a rule and exits non-zero when there is any, so that a writer
that skips the rules fails CI (scripts/test runs it on the demo data)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.core.models import Visibility
from apps.records.rules import describe, publishable_models, record_problems


class Command(BaseCommand):
    help = (
        "List every published record that links to a record that is not published, cites "
        "no published source or has no history version; exit with an error if there is one."
    )

    def handle(self, *args, **options):
        # A database not migrated (an empty data/db.sqlite3) has no tables to read: say so
        # rather than fail on the first query.
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if unapplied:
            raise CommandError(
                f"The database is not set up: {len(unapplied)} migration"
                f"{'s are' if len(unapplied) != 1 else ' is'} not applied. Run "
                "`python manage.py migrate` first, then check again."
            )
        problems = record_problems()
        if not problems:
            models = publishable_models()
            count = sum(
                model._base_manager.filter(visibility=Visibility.PUBLISHED).count()
                for model in models
            )
            self.stdout.write(
                f"Checked {count} published records of {len(models)} kinds: each links only "
                "to published records, cites a published source where its kind cites "
                "sources, and has a history version."
            )
            return
        records = {(model, pk) for model, pk, _problem in problems}
        for model, pk, problem in problems:
            record = model._base_manager.filter(pk=pk).first()
            self.stdout.write(f"{describe(model, pk, record)}: {problem}")
        raise CommandError(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in "
            f"{len(records)} published record{'s' if len(records) != 1 else ''} (listed above)."
        )
