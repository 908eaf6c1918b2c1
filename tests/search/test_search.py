"""Site-wide search (/search/) and the lists' `q` through the same index, on both databases."""

from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from apps.core.models import Visibility
from apps.records import services
from apps.records.models import SearchEntry
from apps.records.registry import all_kinds
from tests.factories import (
    AgencyAliasFactory,
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    ProductFactory,
    RecordsRequestFactory,
    SourceFactory,
    VendorAliasFactory,
    VendorFactory,
)
from tests.sources.pdfs import pdf_bytes, upload

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="ranking by ts_rank and pg_trgm"
)


@pytest.fixture
def case():
    orlando = AgencyFactory(
        name="Orlando Police Department", region="FL", locality="Orlando", ori="FL0480400"
    )
    AgencyAliasFactory(agency=orlando, name="OPD")
    county = AgencyFactory(name="Washington County Sheriff's Office", region="OR")
    amazon = VendorFactory(name="Amazon Web Services", description="A cloud provider.")
    VendorAliasFactory(vendor=amazon, name="AWS")
    rekognition = ProductFactory(vendor=amazon, name="Rekognition")
    deployments = {
        "orlando": DeploymentFactory(agency=orlando, product=rekognition, summary="A pilot."),
        "county": DeploymentFactory(agency=county, product=rekognition, summary="Booking."),
    }
    return {
        "orlando": orlando,
        "county": county,
        "amazon": amazon,
        "rekognition": rekognition,
        "deployments": deployments,
        "contract": ContractFactory(agency=county, vendor=amazon, title="Rekognition pricing"),
        "nda": NdaFactory(agency=county, counterparty_vendor=amazon, scope="Pricing secrets"),
        "request": RecordsRequestFactory(agency=county, subject="Emails about facial matching"),
        "event": OversightEventFactory(agency=orlando, summary="Council hearing on the pilot"),
        "source": SourceFactory(title="Amazon teams up with law enforcement", publisher="ACLU"),
    }


def search(params, client=None):
    response = (client or Client()).get("/search/", params)
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def found(response):
    """{kind key: [names of the results shown]}, as the page groups them."""
    return {
        group["kind"].key: [strip_marks(hit["name"]) for hit in group["results"]]
        for group in response.context["groups"]
    }


def strip_marks(html):
    return unescape(str(html).replace("<mark>", "").replace("</mark>", ""))


def test_every_kind_is_searched_and_grouped(case):
    groups = found(search({"q": "rekognition"}))
    assert groups["products"] == ["Rekognition"]
    assert len(groups["deployments"]) == 2
    assert groups["contracts"] == ["Rekognition pricing"]
    assert "agencies" not in groups
    assert found(search({"q": "pricing secrets"})) == {"ndas": [str(case["nda"])]}
    assert found(search({"q": "facial matching"})) == {"records-requests": [str(case["request"])]}
    assert "oversight" in found(search({"q": "council hearing"}))
    assert found(search({"q": "law enforcement"}))["sources"] == [case["source"].title]
    assert "technologies" in found(search({"q": "face recognition"}))


def test_agencies_are_found_by_alias_and_ori_and_vendors_by_alias(case):
    assert found(search({"q": "OPD"}))["agencies"] == ["Orlando Police Department"]
    assert found(search({"q": "fl0480400"}))["agencies"] == ["Orlando Police Department"]
    assert found(search({"q": "aws"}))["vendors"] == ["Amazon Web Services"]
    # A deployment carries its agency's names: found by the alias too.
    assert len(found(search({"q": "OPD"}))["deployments"]) == 1


def test_the_page_is_two_queries_and_links_each_result(case, django_assert_num_queries):
    client = Client()
    # Whether the word is in the index as typed (else near spellings are looked for), and
    # the results.
    with django_assert_num_queries(2):
        response = client.get("/search/", {"q": "rekognition"})
    page = response.content.decode()
    assert f'href="{case["rekognition"].get_absolute_url()}"' in page
    assert f'href="{case["deployments"]["orlando"].get_absolute_url()}"' in page
    with django_assert_num_queries(0):
        assert Client().get("/search/").status_code == 200


def test_matches_are_highlighted_and_text_escaped(case):
    DeploymentFactory(summary="Cameras <script>alert(1)</script> near the Zoetrope plaza")
    response = search({"q": "zoetrope"})
    page = response.content.decode()
    assert "<mark>Zoetrope</mark>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # A record found by its name shows the start of its text, escaped once.
    AgencyFactory(name="Quagga Police", description="Tom & Jerry <b>" + "x" * 300)
    page = search({"q": "quagga"}).content.decode()
    assert "Tom &amp; Jerry &lt;b&gt;" in page and "&amp;amp;" not in page


def test_narrowed_by_kind_and_region(case):
    assert set(found(search({"q": "rekognition", "kind": "deployments"}))) == {"deployments"}
    by_region = found(search({"q": "rekognition", "region": "Oregon"}))
    assert set(by_region) == {"deployments", "contracts"}
    assert by_region["deployments"] == [str(case["deployments"]["county"])]


@pytest.mark.parametrize(
    "params",
    [{"kind": "bogus", "q": "x"}, {"region": "Nowhereland", "q": "x"}, {"q": ["a", "b"]}],
)
def test_bad_parameters_are_a_400_with_the_reason(case, params):
    response = Client().get("/search/", params)
    assert response.status_code == 400
    assert "Please correct" in response.content.decode()


@pytest.mark.parametrize("q", ["-", "%", "\\", '"', "*", "'\"();--"])
def test_a_search_without_a_word_finds_nothing_and_says_so(case, q):
    response = Client().get("/search/", {"q": q})
    assert response.status_code == 200
    assert response.context["groups"] == []


def test_more_in_a_kind_links_the_list_with_the_same_search(case):
    for n in range(7):
        DeploymentFactory(agency=case["county"], summary=f"Zoetrope camera {n}")
    response = search({"q": "zoetrope"})
    (group,) = response.context["groups"]
    assert group["total"] == 7 and len(group["results"]) == 5
    assert group["more_url"] == "/deployments/?q=zoetrope"
    listed = Client().get(group["more_url"])
    assert listed.context["paginator"].count == 7


def test_a_pending_or_withdrawn_record_is_never_found(case, reviewer):
    pending = DeploymentFactory(summary="Quokka surveillance", visibility=Visibility.PENDING)
    assert found(search({"q": "quokka"})) == {}
    assert Client().get("/deployments/", {"q": "quokka"}).context["paginator"].count == 0
    # Published by a reviewer: found from then on.
    pending.visibility = Visibility.PUBLISHED
    services.record_save(record=pending, user=reviewer, summary="Ok", approved_by=reviewer)
    assert found(search({"q": "quokka"})) == {"deployments": [str(pending)]}

    event = case["event"]
    services.record_set_visibility(
        record=event, visibility=Visibility.WITHDRAWN, reviewer=reviewer, reason="Wrong"
    )
    assert "oversight" not in found(search({"q": "council hearing"}))
    services.record_set_visibility(
        record=event, visibility=Visibility.PUBLISHED, reviewer=reviewer, reason="Right"
    )
    assert "oversight" in found(search({"q": "council hearing"}))


def test_an_edit_and_a_revert_update_the_index_and_its_dependents(case, reviewer):
    agency = case["orlando"]
    # A version citing its source (the factory's first version has none yet).
    services.record_save(record=agency, user=reviewer, summary="Cited", approved_by=reviewer)
    first = agency.history.order_by("history_id").last().history_id
    agency.name = "Ocoee Police Department"
    services.record_save(record=agency, user=reviewer, summary="Renamed", approved_by=reviewer)
    groups = found(search({"q": "ocoee"}))
    assert groups["agencies"] == ["Ocoee Police Department"]
    # The deployment and the event carry the agency's new name.
    assert "deployments" in groups and "oversight" in groups
    assert found(search({"q": "orlando police"}))["agencies"] == ["Ocoee Police Department"]

    services.record_revert(record=agency, version_id=first, reviewer=reviewer, reason="Typo")
    assert found(search({"q": "orlando police"}))["agencies"] == ["Orlando Police Department"]
    assert "agencies" not in found(search({"q": "ocoee"}))
    assert "deployments" not in found(search({"q": "ocoee"}))


def test_the_text_of_an_uploaded_pdf_is_found_once_read(case):
    source = SourceFactory(
        title="County release", document=upload(pdf_bytes("Nondisclosure Zanzibar clause"))
    )
    assert "sources" not in found(search({"q": "zanzibar"}))
    call_command("extract_documents")
    response = search({"q": "zanzibar"})
    assert found(response)["sources"] == ["County release"]
    assert "<mark>Zanzibar</mark>" in response.content.decode()
    assert source.pk == SearchEntry.objects.get(kind="sources", name="County release").record_id


def test_typos_in_names_are_forgiven(case):
    response = search({"q": "Rekogniton"})
    assert found(response)["products"] == ["Rekognition"]
    # The word found is marked, though the search spelt it otherwise.
    assert "<mark>Rekognition</mark>" in response.content.decode()
    assert found(search({"q": "Orlado"}))["agencies"] == ["Orlando Police Department"]
    assert "vendors" in found(search({"q": "Amazn"}))


def test_a_word_found_as_typed_does_not_bring_its_near_spellings():
    AgencyFactory(name="Stoneton Police")
    AgencyFactory(name="Stonetown Police")
    assert found(search({"q": "stoneton"}))["agencies"] == ["Stoneton Police"]
    # Spelt as neither, both are near it.
    assert sorted(found(search({"q": "stonetn"}))["agencies"]) == [
        "Stoneton Police",
        "Stonetown Police",
    ]
    # A list's `q` looks among its own kind: a word some other kind holds as typed is still
    # forgiven here.
    SourceFactory(title="Stonetn Gazette")
    response = Client().get("/agencies/", {"q": "stonetn"})
    assert len(response.context["object_list"]) == 2


@postgres_only
def test_postgresql_stores_an_indexed_vector_and_ranks_names_by_weight():
    AgencyFactory(name="Example Agency", description="Mentions Sentinel once")
    AgencyFactory(name="Sentinel County Police")
    assert not SearchEntry.objects.filter(kind="agencies", vector__isnull=True).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'records_searchentry'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert {"search_entry_vector", "search_entry_names_trgm"} <= indexes
    ranked = search({"q": "sentinel"}).context["groups"][0]["results"]
    assert [strip_marks(hit["name"]) for hit in ranked] == [
        "Sentinel County Police",
        "Example Agency",
    ]


def test_within_a_kind_the_name_ranks_first():
    AgencyFactory(name="Example Agency", description="Not Sentinel at all, just mentions it")
    AgencyFactory(name="Sentinel County Police")
    assert found(search({"q": "sentinel"}))["agencies"][0] == "Sentinel County Police"


def test_the_lists_q_uses_the_index_and_narrows_with_every_filter(case):
    response = Client().get("/deployments/", {"q": "Orlado", "region": "FL"})
    assert [d.pk for d in response.context["object_list"]] == [case["deployments"]["orlando"].pk]
    assert (
        Client()
        .get("/deployments/", {"q": "rekognition", "region": "OR"})
        .context["paginator"]
        .count
        == 1
    )


def test_reindex_search_rebuilds_the_index(case):
    SearchEntry.objects.all().delete()
    DeploymentFactory(summary="Quokka", visibility=Visibility.WITHDRAWN)
    call_command("reindex_search")
    assert found(search({"q": "rekognition"}))["products"] == ["Rekognition"]
    assert found(search({"q": "quokka"})) == {}
    assert SearchEntry.objects.filter(kind="technologies").count() == 15


def test_the_header_has_an_accessible_search_box(case):
    page = Client().get("/").content.decode()
    assert 'role="search"' in page
    assert '<label for="site-search-q"' in page
    assert 'action="/search/"' in page


@pytest.mark.parametrize("kind", all_kinds(), ids=lambda kind: kind.key)
def test_a_lists_q_says_it_forgives_typos_exactly_when_the_index_serves_it(kind):
    q = kind.filterset_class.base_filters["q"]
    assert q.indexed == bool(kind.search)
    assert ("typo" in str(q.extra["help_text"])) == bool(kind.search)


@postgres_only
def test_a_word_in_very_many_records_is_counted_and_ranked_up_to_a_cap(monkeypatch):
    monkeypatch.setattr("apps.records.search.GROUP_CAP", 3)
    for name in ("Quokka Police", "Quokka County Police", "Quokka City Police", "Quokka Ports"):
        AgencyFactory(name=name)
    AgencyFactory(name="Wombat Police")
    page = search({"q": "quokka"}).content.decode()
    assert "More than 3 records found." in page
    assert "(more than 3)</span>" in page
    assert "All the agencies matching “quokka”" in page
    # Under the cap, counts are exact.
    page = search({"q": "wombat"}).content.decode()
    assert "1 record found." in page and "more than" not in page
