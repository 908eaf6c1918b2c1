"""`check_records`: the publication rules, checked on the whole database.

Every writer (the site's forms and review queue, imports, merges, reverts, withdrawals, the
demo loader, the admin) must leave every published record linking only to published records,
citing at least one published source, and with at least one history version. This lists
every record that breaks a rule and exits non-zero when there is any, so that a writer
that skips the rules fails CI (scripts/test runs it on the demo data)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import OuterRef, Subquery

from apps.core.models import PublishableModel, Visibility
from apps.records.registry import publishable_kinds


def _publishable_models():
    return [kind.model for kind in publishable_kinds()]


def _describe(model, pk, name=None):
    label = f"{model._meta.verbose_name} #{pk}"
    return f"{label} “{name}”" if name else label


def _hidden_links(model, published):
    """(record pk, what it links to that is not published) for every link but sources and
    `merged_into` (a merged duplicate points at its survivor by design)."""
    for field in model._meta.get_fields():
        target = field.related_model
        if (
            not (field.many_to_one or field.many_to_many)
            or field.auto_created
            or field.name in {"merged_into", "sources"}
            or target is None
            or not issubclass(target, PublishableModel)
        ):
            continue
        rows = (
            published.filter(**{f"{field.name}__isnull": False})
            .exclude(**{f"{field.name}__visibility": Visibility.PUBLISHED})
            .values_list("pk", field.name, f"{field.name}__visibility")
            .order_by("pk")
            .distinct()
        )
        for pk, target_pk, visibility in rows:
            yield pk, f"{field.verbose_name} → {visibility} {_describe(target, target_pk)}"


def record_problems():
    """[(model, pk, problem)] for every published record that breaks a publication rule."""
    problems = []
    for model in _publishable_models():
        published = model._base_manager.filter(visibility=Visibility.PUBLISHED)
        for pk, problem in _hidden_links(model, published):
            problems.append((model, pk, f"links to a record that is not published: {problem}"))
        if any(field.name == "sources" for field in model._meta.many_to_many):
            cited = model._base_manager.filter(sources__visibility=Visibility.PUBLISHED)
            for pk in published.exclude(pk__in=cited.values("pk")).values_list("pk", flat=True):
                problems.append((model, pk, "cites no published source"))
        if hasattr(model, "history"):
            versioned = model.history.values("id")
            for pk in published.exclude(pk__in=versioned).values_list("pk", flat=True):
                problems.append((model, pk, "has no history version"))
            # Published by a save that wrote no version: its history says otherwise.
            latest = model.history.filter(id=OuterRef("pk")).order_by("-history_id")
            unversioned = published.annotate(
                version_visibility=Subquery(latest.values("visibility")[:1])
            ).exclude(version_visibility=Visibility.PUBLISHED)
            for pk, visibility in unversioned.filter(pk__in=versioned).values_list(
                "pk", "version_visibility"
            ):
                problems.append(
                    (model, pk, f"is published, but its latest version says {visibility}")
                )
    return sorted(problems, key=lambda problem: (problem[0]._meta.label, problem[1]))


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
            models = _publishable_models()
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
            self.stdout.write(f"{_describe(model, pk, record)}: {problem}")
        raise CommandError(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in "
            f"{len(records)} published record{'s' if len(records) != 1 else ''} (listed above)."
        )
