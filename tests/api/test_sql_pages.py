"""On PostgreSQL the database writes an API page of deployments (apps/api/records.py): the
page is the one the records and their links written in Python give, byte for byte, on
awkward values, every date precision, missing and hidden links, across cursor pages."""

import datetime

import pytest
from django.db import connection

from apps.api.records import PageJson
from apps.core.models import Visibility
from apps.core.partial_dates import DatePrecision
from apps.deployments.exports import DeploymentExport
from apps.deployments.models import Deployment
from tests.core.test_export_sql import awkward_registry
from tests.factories import ContractFactory, OversightEventFactory, SourceFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL writes the pages only there"
    ),
]


@pytest.fixture(autouse=True)
def fresh_page_sql():
    """Each test builds its pages' SQL from the exports as they are in it."""
    PageJson.forget()
    yield
    PageJson.forget()


def pages(client, query):
    """Every page of /api/v1/deployments/?query, following `next`, as bytes."""
    found, url = [], f"/api/v1/deployments/?{query}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        found.append(response.content)
        url = response.json()["next"]
    return found


def linked_everything():
    """awkward_registry() and oversight events of every kind of date (none, a year, a month,
    a day) and of a kind the choices do not know, a link to a pending contract, a deployment
    citing the same source twice (by page), and a use policy source."""
    awkward_registry()
    deployments = list(Deployment.objects.published().order_by("pk"))
    dates = [
        (None, ""),
        (datetime.date(2019, 1, 1), DatePrecision.YEAR),
        (datetime.date(2019, 9, 1), DatePrecision.MONTH),
        (datetime.date(2019, 9, 5), DatePrecision.DAY),
        (datetime.date(2021, 12, 31), ""),
    ]
    for index, (date, precision) in enumerate(dates):
        OversightEventFactory(
            agency=deployments[index].agency,
            kind=["vote", "ban", "public-hearing", "audit", "vote"][index],
            occurred_date=date,
            occurred_date_precision=precision,
            deployments=[deployments[index], deployments[index + 1]],
        )
    OversightEventFactory(visibility=Visibility.PENDING, deployments=[deployments[0]])
    ContractFactory(visibility=Visibility.PENDING).deployments.add(deployments[2])
    cited = deployments[3]
    cited.use_policy_source = cited.sources.first()
    cited.save()
    return deployments


@pytest.mark.parametrize(
    "query", ["page_size=4", "page_size=200", "page_size=3&q=agency", "page_size=5&status=active"]
)
def test_postgresql_writes_the_pages_python_writes(client, monkeypatch, query):
    deployments = linked_everything()
    written = pages(client, query)
    assert PageJson._built and None not in PageJson._built.values()
    # The Python path: the kind's export no longer writes its JSON in SQL.
    monkeypatch.setattr(DeploymentExport, "sql_json", lambda self: None)
    PageJson.forget()
    assert written == pages(client, query)
    assert list(PageJson._built.values()) == [None]
    text = b"".join(written)
    # What the comparison is over: links of every kind, names with dates of each precision.
    assert b"Ban: " in text and b", 2019" in text and b", September 2019" in text
    assert b", 5 September 2019" in text and b", 31 December 2021" in text
    assert b'"vendor":null' in text and b'"use_policy_source":{' in text
    if query == "page_size=4":
        assert len(written) == -(-len(deployments) // 4)


def test_a_page_is_two_queries_however_many_links(client, django_assert_num_queries):
    linked_everything()
    SourceFactory.create_batch(3)
    # The filtered list's ids, then the records' JSON by id.
    with django_assert_num_queries(2):
        assert client.get("/api/v1/deployments/?page_size=200").status_code == 200


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_the_records_json_is_a_prepared_statement(client):
    """Planned once per connection: its text is the same for every filter and page."""
    linked_everything()
    queries = ["", "status=active", "page_size=2", "q=agency", "page_size=3", "page_size=1"]
    for query in queries:
        assert client.get(f"/api/v1/deployments/?{query}").status_code == 200
    assert len(PageJson._built) == 1
    assert any("AS page WHERE page.pk = ANY(" in text for text in prepared_statements())


def test_each_host_gets_its_own_addresses(client, settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    (deployment, *_) = linked_everything()
    for host in ("one.example", "two.example"):
        record = client.get("/api/v1/deployments/", HTTP_HOST=host).json()["results"][0]
        assert record["id"] == deployment.pk
        assert record["url"] == f"http://{host}/deployments/{deployment.pk}/"
        assert record["links"]["agency"]["url"].startswith(f"http://{host}/agencies/")


def test_a_record_withdrawn_between_the_two_queries_leaves_the_page(client, monkeypatch):
    first, second, *_ = linked_everything()
    read_texts = PageJson.texts

    def withdraw_first_then_read(self, ids):
        Deployment.objects.filter(pk=first.pk).update(visibility=Visibility.WITHDRAWN)
        return read_texts(self, ids)

    monkeypatch.setattr(PageJson, "texts", withdraw_first_then_read)
    response = client.get("/api/v1/deployments/?page_size=2")
    assert response.status_code == 200
    assert [record["id"] for record in response.json()["results"]] == [second.pk]
