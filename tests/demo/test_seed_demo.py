import re
from decimal import Decimal

import pytest
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce
from pypdf import PdfReader

from apps.agencies.models import Agency, AgencyAlias
from apps.contracts.models import Contract, Nda, ProcurementMethod
from apps.core.history import relations_snapshot
from apps.demo import DEMO_LINKS_REASON, INITIAL_VERSION_REASON
from apps.demo.case import ACLU_BLOG_URL, ACLU_RECORDS_URL, CASE_REQUESTER
from apps.demo.loader import VERSIONED, load_demo_data
from apps.deployments.models import Deployment, DeploymentStatus
from apps.oversight.models import EventKind, OversightEvent
from apps.records.models import ChangeRequest
from apps.records_requests.models import (
    OPEN_STATUSES,
    RecordsRequest,
    RequestStatus,
    ResponseDeadline,
)
from apps.sources.models import Source, SourceKind
from apps.technologies.models import Technology
from apps.vendors.models import Product, Vendor, VendorAlias
from tests.demo.counts import CITING_MODELS, row_counts

pytestmark = pytest.mark.django_db

# `seeded` (tests/conftest.py) loads the demo data once for this module; the tests that load
# it themselves are in test_loading.py.


def test_loads_enough_of_everything_all_published(seeded):
    assert Agency.objects.published().count() >= 200
    assert Agency.objects.values("region").distinct().count() >= 20
    assert Vendor.objects.published().filter(products__isnull=False).distinct().count() >= 30
    assert Deployment.objects.published().count() >= 1000
    assert Contract.objects.published().count() >= 150
    assert Nda.objects.published().count() >= 40
    assert RecordsRequest.objects.published().count() >= 250
    assert OversightEvent.objects.published().count() >= 250
    assert ResponseDeadline.objects.published().count() >= 15
    for model in [Source, *CITING_MODELS]:
        assert not model.objects.exclude(visibility="published").exists(), model
    assert seeded.totals["deployments"] == Deployment.objects.count()


def test_every_published_record_cites_a_source(seeded):
    for model in CITING_MODELS:
        uncited = model.objects.published().annotate(n=Count("sources")).filter(n=0)
        assert list(uncited) == [], model


def test_generated_records_are_consistent_and_varied(seeded):
    # A deployment's vendor is always its product's vendor; some have no product, a few
    # neither product nor vendor.
    with_product = Deployment.objects.filter(product__isnull=False)
    assert not with_product.exclude(vendor=F("product__vendor")).exists()
    assert Deployment.objects.filter(product__isnull=True, vendor__isnull=False).exists()
    assert Deployment.objects.filter(vendor__isnull=True).exists()
    # End dates are never before start dates.
    for model in (Deployment, Contract):
        assert not model.objects.filter(end_date__lt=F("start_date")).exists()
    # Every kind of value the filters offer shows up.
    assert set(Deployment.objects.values_list("status", flat=True)) == set(DeploymentStatus)
    for field in ("start_date_precision", "public_input", "use_policy", "data_sharing"):
        assert Deployment.objects.values(field).distinct().count() >= 3, field
    assert set(Contract.objects.values_list("procurement_method", flat=True)) == set(
        ProcurementMethod
    )
    assert Contract.objects.filter(amount__isnull=True).exists()
    assert Contract.objects.filter(amount=0).exists()
    assert Contract.objects.exclude(currency="USD").count() < Contract.objects.count() / 4
    assert Source.objects.values("kind").distinct().count() >= 6
    # Contracts cover deployments of their own agency and vendor.
    links = Contract.deployments.through.objects.select_related("contract", "deployment")
    assert links.count() >= 150
    for link in links:
        assert link.deployment.agency_id == link.contract.agency_id
        assert link.deployment.vendor_id == link.contract.vendor_id
    # Most name the products they cover (not those for deployments whose product is unknown).
    with_products = Contract.objects.filter(products__isnull=False).distinct().count()
    assert with_products >= 0.8 * Contract.objects.count()
    # NDAs with vendors and with a (fictional) federal agency.
    assert Nda.objects.filter(counterparty_agency__kind="federal").exists()
    assert Nda.objects.filter(counterparty_vendor__isnull=False).count() >= 30
    # Agencies: kinds, parents, aliases and well-formed ORIs.
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert {"police", "sheriff", "fusion-center", "federal", "city", "county"} <= kinds
    assert Agency.objects.filter(parent__kind="city", kind="police").exists()
    assert Vendor.objects.filter(parent__isnull=False).count() >= 3
    assert AgencyAlias.objects.exists() and VendorAlias.objects.exists()
    oris = list(Agency.objects.exclude(ori="").values_list("ori", "region"))
    assert len(oris) >= 20
    assert all(
        re.fullmatch(r"[A-Z]{2}[A-Z0-9]{7}", ori) and ori[:2] == region for ori, region in oris
    )
    assert not Agency.objects.filter(latitude__isnull=True).exists()
    # Products do one or two technologies.
    counts = Product.objects.annotate(n=Count("technologies")).values_list("n", flat=True)
    assert set(counts) <= {1, 2}


def test_generated_records_are_marked_fictional(seeded):
    generated = Source.objects.exclude(url__in=[ACLU_BLOG_URL, ACLU_RECORDS_URL])
    assert not generated.exclude(
        Q(url__startswith="https://news.example.org/")
        | Q(url__startswith="https://records.example.org/")
        | Q(url__startswith="https://reports.example.org/")
        | Q(url__regex=r"^https://[a-z0-9-]+\.example\.(com|net)/")
    ).exists()
    real = ["Washington County Sheriff's Office", "Orlando Police Department"]
    assert not Agency.objects.exclude(name__in=real).exclude(description__icontains="fictional")
    assert not Vendor.objects.exclude(name__startswith="Amazon").exclude(
        description__icontains="fictional"
    )
    assert not Deployment.objects.exclude(vendor__name="Amazon Web Services").exclude(
        summary__icontains="fictional"
    )
    # The case's records requests are illustrations, on records.example.org, and say so.
    assert not RecordsRequest.objects.exclude(outcome__icontains="fictional").exists()
    assert not Source.objects.filter(
        Q(records_requests__isnull=False) | Q(response_deadlines__isnull=False),
        url__startswith="https://www.aclunc.org/",
    ).exists()
    generated_events = OversightEvent.objects.exclude(agency__name__in=real)
    assert not generated_events.exclude(summary__icontains="fictional").exists()


def test_motivating_case_is_real_structured_data(seeded):
    blog = Source.objects.get(url=ACLU_BLOG_URL)
    records = Source.objects.get(url=ACLU_RECORDS_URL)
    assert blog.kind == SourceKind.REPORT and records.kind == SourceKind.RECORDS_RELEASE
    assert blog.publication.display == "22 May 2018"

    sheriff = Agency.objects.get(name="Washington County Sheriff's Office")
    orlando = Agency.objects.get(name="Orlando Police Department")
    assert (sheriff.kind, sheriff.region, sheriff.locality) == ("sheriff", "OR", "Hillsboro")
    assert (orlando.kind, orlando.region) == ("police", "FL")

    aws = Vendor.objects.matching_name("AWS").get()
    amazon = Vendor.objects.matching_name("Amazon.com").get()
    assert aws.name == "Amazon Web Services" and aws.parent == amazon
    assert "body-worn cameras" in aws.description
    product = Product.objects.get(vendor=aws, name="Amazon Rekognition")
    assert set(product.technologies.values_list("slug", flat=True)) == {
        "face-recognition",
        "video-analytics",
    }

    face = Technology.objects.get(slug="face-recognition")
    county = Deployment.objects.get(agency=sheriff, product=product)
    city = Deployment.objects.get(agency=orlando, product=product)
    assert county.technology == city.technology == face
    assert county.vendor == city.vendor == aws
    assert county.status == DeploymentStatus.ACTIVE and county.start.display == "2017"
    assert city.status == DeploymentStatus.PILOT and city.start.precision == "month"
    assert county.public_input == city.public_input == "no"
    assert "body-worn cameras" in county.summary

    low_cost = Contract.objects.get(agency=sheriff, vendor=aws)
    assert low_cost.amount == Decimal("400.00") and low_cost.currency == "USD"
    assert "approximate" in low_cost.summary
    assert list(low_cost.deployments.all()) == [county]
    free = Contract.objects.get(agency=orlando, vendor=aws)
    assert free.procurement_method == ProcurementMethod.FREE_TRIAL
    assert free.amount == Decimal("0.00")
    assert "consulting" in free.summary
    assert list(free.deployments.all()) == [city]
    assert list(free.products.all()) == [product]

    nda = Nda.objects.get(agency=sheriff)
    assert nda.counterparty == aws
    assert nda.cited_to_withhold == "yes"

    for record in (sheriff, orlando, aws, amazon, product, county, city, low_cost, free):
        assert set(record.sources.all()) == {blog, records}, record
    # The NDA also cites the refusal that used it (see the case's records requests).
    refusal = nda.sources.exclude(pk__in=[blog.pk, records.pk]).get()
    assert set(nda.sources.all()) == {blog, records, refusal}
    assert refusal.url.startswith("https://records.example.org/") and "denial" in refusal.title


def test_motivating_case_requests_denial_and_missing_public_process(seeded):
    sheriff = Agency.objects.get(name="Washington County Sheriff's Office")
    orlando = Agency.objects.get(name="Orlando Police Department")
    nda = Nda.objects.get(agency=sheriff)
    # The records requests about Rekognition, filed in three states.
    requests = RecordsRequest.objects.filter(requester=CASE_REQUESTER).select_related("agency")
    assert {(r.agency.region, r.status) for r in requests} == {
        ("OR", RequestStatus.DENIED),
        ("FL", RequestStatus.PARTIALLY_FULFILLED),
        ("CA", RequestStatus.NO_RESPONSIVE_DOCUMENTS),
    }
    # The Sheriff's Office refused one, citing its NDA with AWS.
    denied = requests.get(status=RequestStatus.DENIED)
    assert denied.agency == sheriff
    assert list(denied.ndas_cited.all()) == [nda]
    assert "ORS 192.345" in denied.exemptions and "non-disclosure" in denied.outcome
    assert list(nda.records_requests.all()) == [denied]
    assert denied.filed.display == "4 June 2018" and denied.days_elapsed() == 25
    assert denied.due_date is not None  # Oregon's deadline, entered by the case
    # Orlando released part, as documents among the request's sources.
    released = requests.get(agency=orlando)
    assert list(released.released_documents.all())
    assert set(released.released_documents.all()) <= set(released.sources.all())
    for request in requests:
        assert request.sources.exists()
        assert all(
            source.url.startswith("https://records.example.org/")
            for source in request.sources.all()
        )
    assert set(
        ResponseDeadline.objects.filter(region__in=["OR", "FL", "CA"]).values_list(
            "region", flat=True
        )
    ) == {"OR", "FL", "CA"}
    # No public process before the acquisition: a dated finding on each deployment, from
    # the real sources.
    deployment = Deployment.objects.get(agency=sheriff, vendor__name="Amazon Web Services")
    finding = deployment.oversight_events.get()
    assert finding.kind == EventKind.NO_PUBLIC_PROCESS and finding.agency == sheriff
    assert finding.occurred.display == "22 May 2018"
    assert set(finding.sources.values_list("url", flat=True)) == {ACLU_BLOG_URL, ACLU_RECORDS_URL}
    assert list(finding.contracts.all()) == [Contract.objects.get(agency=sheriff)]
    city = Deployment.objects.get(agency=orlando, vendor__name="Amazon Web Services")
    assert city.oversight_events.get().kind == EventKind.NO_PUBLIC_PROCESS


def test_the_case_cites_the_page_of_each_fictional_document(seeded):
    """Each records request, its answer, the NDA's use to refuse one and each state's
    deadline cite the page of an uploaded PDF that holds the quoted words."""
    cases = [
        *RecordsRequest.objects.filter(requester=CASE_REQUESTER),
        Nda.objects.get(agency__name="Washington County Sheriff's Office"),
        *ResponseDeadline.objects.filter(region__in=["OR", "FL", "CA"]),
    ]
    checked = 0
    for record in cases:
        for citation in record.citations.select_related("source"):
            source = citation.source
            if not source.url.startswith("https://records.example.org/"):
                continue  # the real sources, whose pages the demo cannot vouch for
            assert citation.page is not None and citation.quote, (record, source)
            with source.document.open("rb") as document:
                text = PdfReader(document).pages[citation.page - 1].extract_text()
            assert citation.quote in " ".join(text.split()), (record, source)
            checked += 1
    assert checked == 3 * 2 + 1 + 3
    # The real reporting is quoted where its words support the fact.
    product = Product.objects.get(name="Amazon Rekognition")
    assert (
        "identify, track, and analyze people"
        in product.citations.get(source__url=ACLU_BLOG_URL).quote
    )


def test_generated_requests_events_and_deadlines_are_plausible(seeded):
    requests = RecordsRequest.objects.exclude(requester=CASE_REQUESTER)
    # Skewed: most agencies get none, a few many.
    per_agency = list(
        requests.values("agency").annotate(n=Count("id")).order_by("-n").values_list("n", flat=True)
    )
    assert len(per_agency) < Agency.objects.count() / 2
    assert per_agency[0] >= 5 * per_agency[len(per_agency) // 2]
    assert set(requests.values_list("status", flat=True)) == set(RequestStatus)
    closed = requests.exclude(status__in=OPEN_STATUSES).count()
    assert closed > requests.filter(status__in=OPEN_STATUSES).count() > 0
    # Dates: open requests have no closed date, closed ones are not closed before filing.
    assert not requests.filter(status__in=OPEN_STATUSES, closed_date__isnull=False).exists()
    assert not requests.filter(closed_date__lt=F("filed_date")).exists()
    assert requests.filter(closed_date__isnull=False).count() > 100
    # Some cite an NDA, always one of the same agency that it cited to withhold records.
    citing = RecordsRequest.ndas_cited.through.objects.exclude(
        recordsrequest__requester=CASE_REQUESTER
    )
    assert citing.count() >= 5
    assert not citing.exclude(nda__agency=F("recordsrequest__agency")).exists()
    assert not citing.exclude(nda__cited_to_withhold="yes").exists()
    # Released documents are among the request's sources.
    released = RecordsRequest.released_documents.through.objects.all()
    assert released.count() > 20
    for link in released[:50]:
        assert link.recordsrequest.sources.filter(pk=link.source_id).exists()
    # Due dates where the state's deadline is entered, and some requests overdue.
    assert requests.filter(due_date__isnull=False).count() > requests.count() / 2
    assert requests.overdue().exists()

    events = OversightEvent.objects.all()
    kinds = set(events.values_list("kind", flat=True))
    assert {
        EventKind.VOTE,
        EventKind.CONSENT_AGENDA,
        EventKind.ADMINISTRATIVE,
        EventKind.NO_PUBLIC_PROCESS,
    } <= kinds
    votes = events.filter(kind=EventKind.VOTE, yes_votes__isnull=False)
    assert votes.count() >= 10
    assert votes.filter(outcome="approved", yes_votes__gt=F("no_votes")).exists()
    assert events.filter(kind=EventKind.CONSENT_AGENDA, no_votes=0).exists()
    # An event concerns deployments of its own agency, or of the agencies under the body.
    links = OversightEvent.deployments.through.objects.select_related(
        "oversightevent", "deployment__agency"
    )
    assert links.count() >= 250
    for link in links:
        agency = link.deployment.agency
        assert link.oversightevent.agency_id in (agency.pk, agency.parent_id)
    assert OversightEvent.contracts.through.objects.count() > 20

    # One deadline per state, for most US states that appear.
    states = set(Agency.objects.filter(country="US").values_list("region", flat=True))
    deadlines = list(ResponseDeadline.objects.values_list("region", flat=True))
    assert len(deadlines) == len(set(deadlines))
    assert len(states - set(deadlines)) <= len(states) / 4
    assert set(ResponseDeadline.objects.values_list("day_kind", flat=True)) == {
        "business",
        "calendar",
    }


def test_one_load_is_one_version_per_record_with_its_links(seeded):
    # Every record, the motivating case's included, has exactly one version: the load's,
    # whose links snapshot already cites its sources (so no sourceless first version).
    for model in VERSIONED:
        assert model.history.count() == model.objects.count(), model
        assert not model.objects.exclude(pk__in=model.history.values("id")).exists(), model
    assert seeded.versions == sum(model.objects.count() for model in VERSIONED)
    deployment = Deployment.objects.exclude(vendor__name="Amazon Web Services").first()
    version = deployment.history.get()
    assert version.history_change_reason == INITIAL_VERSION_REASON
    assert (version.history_user, version.approved_by, version.history_type) == (None, None, "+")
    assert (version.status, version.start_date) == (deployment.status, deployment.start_date)
    sheriff = Agency.objects.get(name="Washington County Sheriff's Office")
    rekognition = Product.objects.get(name="Amazon Rekognition")
    contract = Contract.objects.get(agency=sheriff)
    samples = [
        sheriff,
        rekognition,
        contract,
        *Agency.objects.filter(aliases__isnull=False).distinct()[:20],
        *Vendor.objects.filter(parent__isnull=False)[:5],
        *Product.objects.all()[:20],
        *Deployment.objects.all()[:20],
        *Contract.objects.filter(deployments__isnull=False).distinct()[:20],
        *Nda.objects.all()[:10],
        *Source.objects.all()[:5],
        *RecordsRequest.objects.filter(ndas_cited__isnull=False).distinct()[:5],
        *OversightEvent.objects.filter(contracts__isnull=False).distinct()[:5],
        *ResponseDeadline.objects.all()[:3],
    ]
    assert len(samples) > 100
    for record in samples:
        only = record.history.get()
        assert only.history_change_reason == INITIAL_VERSION_REASON, record
        assert only.relations == relations_snapshot(record), record
        if not isinstance(record, Source):
            assert only.relations["sources"], record
    assert sheriff.history.get().relations["aliases"] == ["WCSO"]
    assert rekognition.history.get().relations["technologies"]
    assert contract.history.get().relations["deployments"]


def test_history_pages_of_demo_records_show_their_version(seeded, client):
    deployment = Deployment.objects.exclude(vendor__name="Amazon Web Services").first()
    page = client.get(f"/deployments/{deployment.pk}/history/").content.decode()
    assert "No versions are recorded" not in page
    assert INITIAL_VERSION_REASON in page
    assert "(import or system)" in page  # the version has no author


def test_a_partial_load_is_completed_without_duplicates(seeded):
    complete = row_counts()
    doomed = list(Deployment.objects.order_by("-pk").values_list("pk", flat=True)[:25])
    Deployment.objects.filter(pk__in=doomed).delete()
    Nda.objects.filter(pk__in=list(Nda.objects.values_list("pk", flat=True)[:5])).delete()
    Agency.sources.through.objects.filter(agency__kind="sheriff").delete()
    assert row_counts() != complete

    load_demo_data()
    assert row_counts() == complete
    # A record that lost its sources gets them back in one version that says so, citing them.
    generated = Agency.objects.exclude(name="Washington County Sheriff's Office")
    sheriff = generated.filter(kind="sheriff").first()
    versions = list(sheriff.history.order_by("history_id"))
    assert [v.history_change_reason for v in versions] == [
        INITIAL_VERSION_REASON,
        DEMO_LINKS_REASON,
    ]
    assert versions[-1].relations == relations_snapshot(sheriff)
    assert versions[-1].relations["sources"]


def test_demo_data_is_plausible(seeded):
    # No source is dated before the fact it reports.
    early = {
        Deployment: Deployment.sources.through.objects.filter(
            source__publication_date__lt=F("deployment__start_date")
        ),
        Contract: Contract.sources.through.objects.filter(
            source__publication_date__lt=Coalesce("contract__signed_date", "contract__start_date")
        ),
        Nda: Nda.sources.through.objects.filter(source__publication_date__lt=F("nda__signed_date")),
        RecordsRequest: RecordsRequest.sources.through.objects.filter(
            source__publication_date__lt=F("recordsrequest__filed_date")
        ),
        OversightEvent: OversightEvent.sources.through.objects.filter(
            source__publication_date__lt=F("oversightevent__occurred_date")
        ),
    }
    for model, links in early.items():
        assert list(links.values_list(f"{model._meta.model_name}_id", "source__url")[:5]) == []
    # What ended (a ban, a suspension) is reported by a source dated after the end.
    ended = Deployment.objects.filter(end_date__isnull=False).annotate(
        latest=Max("sources__publication_date")
    )
    assert ended.count() > 50
    assert list(ended.filter(Q(latest__lt=F("end_date")) | Q(latest__isnull=True))[:5]) == []
    # Contracts are in the currency of the agency's country, whatever the vendor's.
    assert Vendor.objects.exclude(country="US").filter(contracts__isnull=False).exists()
    currency = {"US": "USD", "CA": "CAD", "GB": "GBP", "DE": "EUR", "FR": "EUR"}
    pairs = set(Contract.objects.values_list("agency__country", "currency"))
    assert pairs and all(currency[country] == paid for country, paid in pairs), pairs


def test_the_load_logs_no_change_of_anyone(seeded):
    # Versions without an author, and no change log: the recent changes page and everyone's
    # contributions stay as they were.
    assert not ChangeRequest.objects.exists()
