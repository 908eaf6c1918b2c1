import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.agencies.models import Agency
from apps.demo import DemoDataError
from apps.demo.generate import SUMMARY, Generator, counts_for
from apps.records.services import BulkLoad


class Command(BaseCommand):
    help = (
        "Fill an empty database with a large synthetic registry for measuring the site: "
        "--deployments N and the other kinds in proportion (issue 10: 20,000 agencies, "
        "3,000 vendors, 10,000 products, 200,000 contracts, 20,000 NDAs, 100,000 records "
        "requests, 50,000 oversight events and 500,000 sources per million deployments), "
        "skewed like real data, every record published, cited and versioned. Deterministic "
        "for a given --seed. In one transaction: a failure leaves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--deployments", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, deployments, seed, **options):
        if deployments < 1:
            raise CommandError("--deployments must be at least 1.")
        if Agency.objects.exists():
            raise CommandError(
                "The database already holds agencies: generate_data fills an empty one (run "
                "`manage.py flush` or use another DATABASE_URL), so that every record in it "
                "is the generated set's."
            )
        started = time.perf_counter()
        self.stdout.write(
            "Generating: "
            + ", ".join(f"{count:,} {key}" for key, count in counts_for(deployments).items())
        )
        totals = {}

        def progress(step, count):
            totals[step] = totals.get(step, 0) + count
            elapsed = time.perf_counter() - started
            self.stdout.write(f"  {elapsed:7.1f} s  {step}: {totals[step]:,}")

        load = BulkLoad(summary=SUMMARY)
        try:
            with transaction.atomic():
                Generator(load, deployments=deployments, seed=seed, progress=progress).run()
                self.stdout.write("Writing versions, checking the publication rules, indexing")
                loaded = load.finish(progress=progress)
                # The foreign keys are checked at commit (deferred constraints): a while.
                self.stdout.write(f"  {time.perf_counter() - started:7.1f} s  committing")
        except (DemoDataError, ValidationError) as exc:
            raise CommandError(f"Nothing was written: {exc}") from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {sum(loaded.values()):,} records in {elapsed:.0f} s: "
                + ", ".join(f"{n:,} {m._meta.verbose_name_plural}" for m, n in loaded.items())
            )
        )
