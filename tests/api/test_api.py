"""The public API (/api/v1/): every registered kind's list and detail, published records
only, the lists' own filters and 400s, cursor pages, links, read-only, rate-limited."""

import base64

import pytest
from django.urls import reverse

from apps.core.models import Visibility
from apps.records.registry import all_kinds, get_kind
from tests.factories import (
    KIND_FACTORIES,
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    RecordsRequestFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db

LIST_KINDS = [kind.key for kind in all_kinds() if kind.list_selector]


def api_list(client, key, query=""):
    return client.get(reverse(f"api:{key}-list") + (f"?{query}" if query else ""))


def all_pages(client, url):
    """Every record of a list, following `next` to the end."""
    records = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        records += response.json()["results"]
        url = response.json()["next"]
    return records


def html_ids(client, key, query=""):
    response = client.get(reverse(get_kind(key).list_url_name) + f"?{query}")
    assert response.status_code == 200
    return {record.pk for record in response.context["paginator"].object_list}


@pytest.fixture
def deployments():
    oregon = AgencyFactory(name="Washington County Sheriff's Office", region="OR")
    washington = AgencyFactory(name="Seattle Police Department", region="WA")
    amazon = VendorFactory(name="Amazon")
    return [
        DeploymentFactory(agency=oregon, vendor=amazon, status="active"),
        DeploymentFactory(agency=oregon, status="pilot"),
        DeploymentFactory(agency=washington, vendor=amazon, status="banned"),
        DeploymentFactory(agency=washington, status="active"),
    ]


# ---------------------------------------------------------------------------------------------
# Filters: the HTML list's


@pytest.mark.parametrize(
    "query",
    [
        "",
        "region=OR",
        "region=Oregon&status=active",
        "region=OR&region=WA&status=Active",
        "vendor=amazon",
        "status=banned&status=pilot",
        "q=seattle",
        "agency=Seattle Police Department",
    ],
)
def test_a_list_selects_what_the_html_list_selects_for_the_same_query(client, deployments, query):
    records = all_pages(client, reverse("api:deployments-list") + f"?{query}")
    expected = html_ids(client, "deployments", query)
    assert expected  # every query here matches something
    assert sorted(record["id"] for record in records) == sorted(expected)


@pytest.mark.parametrize("key", LIST_KINDS)
def test_every_kind_lists_what_its_html_list_shows(client, key):
    made = [KIND_FACTORIES[key]() for _ in range(2)]
    records = all_pages(client, reverse(f"api:{key}-list"))
    assert {record["id"] for record in records} == html_ids(client, key)
    assert {record.pk for record in made} <= {record["id"] for record in records}


COUNTRY_KINDS = [
    k.key for k in all_kinds() if k.filterset and "country" in k.filterset_class.base_filters
]


@pytest.mark.parametrize("query", ["country=US", "country=United States&q=a", "country=MX"])
@pytest.mark.parametrize("key", COUNTRY_KINDS)
def test_every_kinds_filters_select_what_its_html_list_selects(client, key, query):
    for _ in range(2):
        KIND_FACTORIES[key]()
    records = all_pages(client, reverse(f"api:{key}-list") + f"?{query}")
    assert {record["id"] for record in records} == html_ids(client, key, query)


@pytest.mark.parametrize("query", ["year=twenty", "region=Atlantis", "status=sideways"])
def test_a_bad_filter_value_is_a_400_with_the_html_lists_reason(client, deployments, query):
    response = api_list(client, "deployments", query)
    assert response.status_code == 400
    page = client.get(f"/deployments/?{query}")
    assert page.status_code == 400
    reasons = [f"{e.param} ({e.label}): {e.message}" for e in page.context["errors"]]
    assert response.json()["errors"] == reasons
    assert response.json()["details"][0]["parameter"] == query.split("=")[0]


def test_an_ambiguous_name_offers_the_records_it_could_mean_as_api_filters(client):
    AgencyFactory(name="Springfield Police Department", region="OR")
    AgencyFactory(name="Springfield Police Department", region="IL")
    response = api_list(client, "deployments", "agency=Springfield Police Department")
    assert response.status_code == 400
    candidates = response.json()["details"][0]["candidates"]
    assert len(candidates) == 2
    assert all(
        c["filter_url"].startswith("http://testserver/api/v1/deployments/?agency=")
        for c in candidates
    )


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("sort=-start", "sort is not available"),
        ("regoin=OR", "no such filter"),
        ("format=api", "no such filter"),
    ],
)
def test_sort_and_unknown_parameters_are_refused_not_ignored(client, deployments, query, says):
    response = api_list(client, "deployments", query)
    assert response.status_code == 400
    assert says in response.json()["errors"][0]


# ---------------------------------------------------------------------------------------------
# Pages


def test_following_next_reads_every_record_exactly_once(client, settings):
    agency = AgencyFactory(region="OR")
    made = [DeploymentFactory(agency=agency) for _ in range(7)]
    DeploymentFactory(agency=AgencyFactory(region="WA"))  # filtered out
    first = api_list(client, "deployments", "region=OR&page_size=3").json()
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert "region=OR" in first["next"]  # the filter goes along
    ids = [record["id"] for record in all_pages(client, first["next"])]
    ids = [record["id"] for record in first["results"]] + ids
    assert ids == sorted(deployment.pk for deployment in made)


def test_the_default_page_size_is_a_setting(client, settings):
    settings.API_PAGE_SIZE = 2
    for _ in range(3):
        DeploymentFactory()
    response = api_list(client, "deployments").json()
    assert len(response["results"]) == 2
    assert response["next"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        base64.b64encode(b"p=abc").decode(),  # decodes, but its position is no id
        base64.b64encode(b"o=-5&p=1").decode(),
    ],
)
def test_a_forged_cursor_is_a_400_that_says_what_a_cursor_is(client, deployments, cursor):
    response = client.get("/api/v1/deployments/", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Invalid cursor: a cursor is only valid as")


# ---------------------------------------------------------------------------------------------
# Published records only


@pytest.mark.parametrize("visibility", [Visibility.PENDING, Visibility.WITHDRAWN])
@pytest.mark.parametrize("key", [k.key for k in all_kinds() if k.list_selector and k.publishable])
def test_pending_and_withdrawn_records_never_appear(client, key, visibility):
    shown = KIND_FACTORIES[key]()
    hidden = KIND_FACTORIES[key]()
    type(hidden).objects.filter(pk=hidden.pk).update(visibility=visibility)
    ids = {record["id"] for record in all_pages(client, reverse(f"api:{key}-list"))}
    assert shown.pk in ids
    assert hidden.pk not in ids
    kind = get_kind(key)
    url = reverse(f"api:{key}-detail", args=[getattr(hidden, kind.lookup)])
    assert client.get(url).status_code == 404
    shown_url = reverse(f"api:{key}-detail", args=[getattr(shown, kind.lookup)])
    assert client.get(shown_url).status_code == 200


def test_a_pending_contract_is_not_linked_from_a_published_deployment(client):
    deployment = DeploymentFactory()
    ContractFactory().deployments.add(deployment)
    ContractFactory(visibility=Visibility.PENDING).deployments.add(deployment)
    (record,) = api_list(client, "deployments").json()["results"]
    assert len(record["contracts"]) == 1
    assert len(record["links"]["contracts"]) == 1


def test_a_deployment_links_the_contracts_and_oversight_naming_it_and_an_nda_its_requests(
    client,
):
    deployment = DeploymentFactory()
    contract = ContractFactory()
    contract.deployments.add(deployment)
    event = OversightEventFactory(agency=deployment.agency)
    event.deployments.add(deployment)
    links = client.get(reverse("api:deployments-detail", args=[deployment.pk])).json()["links"]
    (linked,) = links["contracts"]
    assert linked["api_url"].endswith(f"/api/v1/contracts/{contract.pk}/")
    assert [e["id"] for e in links["oversight_events"]] == [event.pk]
    nda = NdaFactory()
    request = RecordsRequestFactory(agency=nda.agency)
    request.ndas_cited.add(nda)
    RecordsRequestFactory(visibility=Visibility.PENDING).ndas_cited.add(nda)
    links = client.get(reverse("api:ndas-detail", args=[nda.pk])).json()["links"]
    assert [r["api_url"] for r in links["records_requests"]] == [
        f"http://testserver/api/v1/records-requests/{request.pk}/"
    ]
    # Named records are not given everything naming them: their filtered lists are.
    agency = client.get(reverse("api:agencies-detail", args=[deployment.agency.slug])).json()
    assert "deployments" not in agency["links"]


# ---------------------------------------------------------------------------------------------
# Records and links


def test_a_deployment_links_its_records_and_sources_on_the_site_and_in_the_api(client):
    deployment = DeploymentFactory(agency=AgencyFactory(name="Orlando Police Department"))
    contract = ContractFactory()
    contract.deployments.add(deployment)
    response = client.get(reverse("api:deployments-detail", args=[deployment.pk]))
    assert response.status_code == 200
    record = response.json()
    assert record["id"] == deployment.pk
    assert record["url"] == f"http://testserver{deployment.get_absolute_url()}"
    assert record["api_url"] == f"http://testserver/api/v1/deployments/{deployment.pk}/"
    agency = record["links"]["agency"]
    assert agency["name"] == "Orlando Police Department"
    assert agency["slug"] == deployment.agency.slug
    assert agency["url"] == f"http://testserver{deployment.agency.get_absolute_url()}"
    assert client.get(agency["api_url"]).json()["id"] == deployment.agency.pk
    (source,) = record["links"]["sources"]
    assert source["source_url"] == deployment.sources.get().url
    assert client.get(source["api_url"]).json()["url"].endswith(f"/sources/{source['id']}/")
    assert record["links"]["vendor"] is None or record["links"]["vendor"]["api_url"]
    # The export's fields too: one definition of a deployment's public fields.
    assert record["contracts"] == [contract.pk]
    assert record["sources"][0]["url"] == source["source_url"]


def test_a_contract_links_the_deployments_it_covers(client):
    deployment = DeploymentFactory()
    contract = ContractFactory()
    contract.deployments.add(deployment)
    record = client.get(reverse("api:contracts-detail", args=[contract.pk])).json()
    (linked,) = record["links"]["deployments"]
    assert linked["api_url"].endswith(f"/api/v1/deployments/{deployment.pk}/")
    assert linked["name"] == str(deployment)


@pytest.mark.parametrize("key", LIST_KINDS)
def test_every_kind_has_a_detail_at_its_slug_or_id(client, key):
    record = KIND_FACTORIES[key]()
    kind = get_kind(key)
    response = client.get(reverse(f"api:{key}-detail", args=[getattr(record, kind.lookup)]))
    assert response.status_code == 200
    assert response.json()["id"] == record.pk
    assert response.json()["url"].endswith(record.get_absolute_url())


def test_an_unknown_record_is_a_404_with_a_reason(client):
    for url in [
        "/api/v1/deployments/999999/",
        "/api/v1/deployments/abc/",
        "/api/v1/agencies/nowhere/",
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert "No published" in response.json()["detail"]


def test_a_merged_duplicates_address_moves_to_the_survivor(client):
    survivor = AgencyFactory(name="Orlando Police Department")
    duplicate = AgencyFactory(name="Orlando PD")
    type(duplicate).objects.filter(pk=duplicate.pk).update(
        visibility=Visibility.WITHDRAWN, merged_into=survivor
    )
    response = client.get(f"/api/v1/agencies/{duplicate.slug}/")
    assert response.status_code == 301
    assert response["Location"] == f"http://testserver/api/v1/agencies/{survivor.slug}/"


def test_no_personal_data(client, volunteer):
    volunteer.email = "vera@example.net"
    volunteer.save()
    deployment = DeploymentFactory()
    deployment.history.update(history_user=volunteer)
    for key in LIST_KINDS:
        text = api_list(client, key).content.decode()
        assert "vera" not in text.lower()
        assert "history" not in text


# ---------------------------------------------------------------------------------------------
# Read-only, rate limit


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405(client, method):
    deployment = DeploymentFactory()
    for url in ["/api/v1/deployments/", f"/api/v1/deployments/{deployment.pk}/"]:
        response = getattr(client, method)(url, data={}, content_type="application/json")
        assert response.status_code == 405
    assert type(deployment).objects.filter(pk=deployment.pk).exists()


def test_anonymous_clients_are_rate_limited_with_a_429_and_retry_after(client, settings):
    settings.API_ANON_RATE = "2/min"
    assert api_list(client, "deployments").status_code == 200
    assert api_list(client, "agencies").status_code == 200
    response = api_list(client, "deployments")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Too many requests" in response.json()["detail"]
    # Another address has its own allowance.
    assert client.get("/api/v1/deployments/", REMOTE_ADDR="192.0.2.9").status_code == 200
    # Reading the documentation costs nothing of it.
    assert client.get("/api/v1/docs/").status_code == 200
    assert client.get("/api/v1/schema/").status_code == 200


def test_the_limit_counts_the_address_our_proxy_forwarded(client, settings):
    settings.API_ANON_RATE = "1/min"
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = client.get("/api/v1/deployments/", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    assert first.status_code == 200
    again = client.get("/api/v1/deployments/", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    assert again.status_code == 429
    other = client.get("/api/v1/deployments/", HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert other.status_code == 200
