"""`generate_data`: a large synthetic registry written through the write gateway's bulk load,
checked here at a small size: its proportions, skew, consistency, publication rules,
versions, search index and determinism."""

from io import StringIO
from statistics import median

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Min
from django.test import Client

from apps.agencies.models import Agency
from apps.contracts.models import Contract, Nda
from apps.core.history import relations_snapshot
from apps.demo.generate import SUMMARY, counts_for
from apps.deployments.models import Deployment
from apps.oversight.models import OversightEvent
from apps.records.models import SearchEntry
from apps.records.rules import record_problems
from apps.records_requests.models import RecordsRequest
from apps.sources.models import Source
from apps.vendors.models import Product, Vendor

pytestmark = pytest.mark.django_db

DEPLOYMENTS = 5000
KINDS = [Agency, Vendor, Product, Deployment, Contract, Nda, RecordsRequest, OversightEvent]


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One generated registry for the module's tests, rolled back after them (each test runs
    in a savepoint within it); the tests that generate their own are in test_bulk_load.py."""
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("generate_data", deployments=DEPLOYMENTS, seed=7, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_it_makes_every_kind_in_proportion_published_and_says_so(generated):
    counts = counts_for(DEPLOYMENTS)
    assert Deployment.objects.count() == DEPLOYMENTS
    assert Agency.objects.count() == counts["agencies"] == 100
    assert Vendor.objects.count() == counts["vendors"]
    assert Product.objects.count() == counts["products"]
    assert Contract.objects.count() == counts["contracts"] == 1000
    assert Nda.objects.count() == counts["ndas"]
    assert RecordsRequest.objects.count() == counts["requests"]
    assert OversightEvent.objects.count() == counts["events"]
    assert Source.objects.count() >= counts["sources"]
    for model in [*KINDS, Source]:
        assert not model.objects.exclude(visibility="published").exists(), model
    assert "Generating: 5,000 deployments, 100 agencies" in generated
    assert f"{DEPLOYMENTS:,} deployments" in generated.splitlines()[-1]


def test_the_publication_rules_hold_and_each_record_has_its_one_first_version(generated):
    assert record_problems() == []
    for model in [*KINDS, Source]:
        assert model.history.count() == model.objects.count(), model
        version = model.history.order_by("?").first()
        record = model.objects.get(pk=version.id)
        assert (version.history_type, version.history_change_reason) == ("+", SUMMARY)
        assert (version.history_user, version.approved_by) == (None, None)
        assert version.relations == relations_snapshot(record), model
    # The rows are what the models accept (the load inserts them without full_clean).
    for model in KINDS:
        for record in model.objects.order_by("?")[:20]:
            record.full_clean(validate_unique=False)


def test_the_records_agree_with_each_other(generated):
    with_product = Deployment.objects.filter(product__isnull=False)
    assert with_product.count() > DEPLOYMENTS * 0.4
    assert not with_product.exclude(vendor=F("product__vendor")).exists()
    covered = Contract.deployments.through.objects
    assert not covered.exclude(contract__agency=F("deployment__agency")).exists()
    assert not covered.exclude(contract__vendor=F("deployment__vendor")).exists()
    assert not Contract.objects.filter(agency__country="US").exclude(currency="USD").exists()
    assert not Nda.objects.exclude(
        counterparty_vendor__in=Contract.objects.filter(agency=F("agency")).values("vendor")
    ).exists()
    # No source is dated before what it reports.
    early = Deployment.sources.through.objects.filter(
        source__publication_date__lt=F("deployment__start_date")
    )
    assert not early.exists()
    ended = Deployment.objects.filter(end_date__isnull=False).annotate(
        first_source=Min("sources__publication_date")
    )
    assert ended.exists() and not ended.filter(first_source__lt=F("end_date")).exists()
    assert not Contract.sources.through.objects.filter(
        source__publication_date__lt=F("contract__signed_date")
    ).exists()


def test_a_few_agencies_and_vendors_hold_much_of_it(generated):
    per_agency = sorted(Agency.objects.annotate(n=Count("deployments")).values_list("n", flat=True))
    assert per_agency[-1] > 4 * median(per_agency)
    per_vendor = sorted(Vendor.objects.annotate(n=Count("deployments")).values_list("n", flat=True))
    assert per_vendor[-1] > 3 * median(per_vendor)


def test_the_search_index_holds_them_and_finds_them(generated, client):
    assert SearchEntry.objects.filter(kind="deployments").count() == DEPLOYMENTS
    agency = Agency.objects.order_by("pk").first()
    response = client.get("/search/", {"q": agency.name})
    assert response.status_code == 200
    assert agency.get_absolute_url() in response.content.decode()


def test_the_pages_answer_on_it(generated):
    client = Client()
    deployment = Deployment.objects.order_by("pk").last()
    for url in [
        "/",
        "/deployments/?region=TX",
        deployment.get_absolute_url(),
        deployment.agency.get_absolute_url(),
        "/api/v1/deployments/",
    ]:
        assert client.get(url).status_code == 200, url
