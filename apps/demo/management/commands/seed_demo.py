import io
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from apps.demo import DemoDataError
from apps.demo.loader import load_demo_data
from apps.sources.demo_banner import forget_demo_data_check


class Command(BaseCommand):
    help = (
        "Load demo data, idempotently: the motivating case (Amazon Rekognition at the "
        "Washington County Sheriff's Office and the Orlando Police Department, 2018) as real, "
        "cited records, plus generated, clearly fictional agencies, vendors, products, "
        "deployments, contracts, NDAs, records requests, oversight events and response "
        "deadlines. Running it again creates only what is missing."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            result = load_demo_data()
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        # Pages sharing this cache (Redis) show the demo-data banner at once.
        forget_demo_data_check()
        # The demo's documents are searchable at once, not after extract_documents's next pass.
        call_command("extract_documents", stdout=io.StringIO())
        elapsed = time.perf_counter() - started
        width = max(len(label) for label in result.totals)
        for label, total in result.totals.items():
            created = result.created[label]
            self.stdout.write(f"{label:<{width}}  {total:>6}  ({created:+d})")
        self.stdout.write(
            f"History: {result.versions} versions written, one per record this run created "
            "or completed."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {elapsed:.1f} s: {sum(result.created.values())} rows "
                f"created (totals above, this run's additions in brackets)."
            )
        )
