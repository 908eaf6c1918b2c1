"""Every endpoint makes a fixed number of queries, however many records it returns: links,
sources and the export's fields are read per page, never per record."""

import pytest
from django.db import connection
from django.urls import reverse

from apps.records.registry import all_kinds
from tests.factories import KIND_FACTORIES, ContractFactory, DeploymentFactory

pytestmark = pytest.mark.django_db

# Queries of one list page, by kind: the selector's page query and each prefetch (sources,
# linked many-to-many records, the export's own lookups). Pinned: a change is deliberate.
LIST_QUERIES = {
    "deployments": 7,
    "agencies": 4,
    "vendors": 4,
    "products": 5,
    "technologies": 1,
    "contracts": 8,
    "ndas": 4,
    "records-requests": 7,
    "response-deadlines": 3,
    "oversight": 7,
    "sources": 1,
}
LIST_KINDS = [kind.key for kind in all_kinds() if kind.list_selector]
# On PostgreSQL the database writes these kinds' list pages, links and all (apps/api/records.py):
# the page's ids, then their JSON; a detail is still read as LIST_QUERIES says.
WRITTEN_BY_DATABASE = {"deployments": 2}


def list_queries(key):
    if connection.vendor == "postgresql":
        return WRITTEN_BY_DATABASE.get(key, LIST_QUERIES[key])
    return LIST_QUERIES[key]


def test_every_list_kind_is_pinned():
    assert set(LIST_QUERIES) == set(LIST_KINDS)


def make(key, count):
    return [KIND_FACTORIES[key]() for _ in range(count)]


@pytest.mark.parametrize("key", LIST_KINDS)
def test_a_list_page_costs_the_same_queries_for_2_or_6_records(
    client, key, django_assert_num_queries
):
    url = reverse(f"api:{key}-list")
    make(key, 2)
    with django_assert_num_queries(list_queries(key)):
        assert client.get(url).status_code == 200
    make(key, 4)
    with django_assert_num_queries(list_queries(key)):
        response = client.get(url)
    assert len(response.json()["results"]) >= 6


@pytest.mark.parametrize("key", LIST_KINDS)
def test_a_detail_costs_the_list_page_queries(client, key, django_assert_num_queries):
    (record,) = make(key, 1)
    kind = next(k for k in all_kinds() if k.key == key)
    url = reverse(f"api:{key}-detail", args=[getattr(record, kind.lookup)])
    with django_assert_num_queries(LIST_QUERIES[key]):
        assert client.get(url).status_code == 200


def test_links_to_many_records_cost_nothing_per_link(client, django_assert_num_queries):
    deployments = [DeploymentFactory() for _ in range(4)]
    for _ in range(3):
        ContractFactory().deployments.set(deployments)
    with django_assert_num_queries(LIST_QUERIES["contracts"]):
        results = client.get("/api/v1/contracts/").json()["results"]
    assert all(len(record["links"]["deployments"]) == 4 for record in results)
