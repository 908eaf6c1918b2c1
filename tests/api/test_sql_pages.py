"""On PostgreSQL the database writes an API page of deployments (apps/api/records.py): the
page is the one the records and their links written in Python give, byte for byte, on
awkward values, every date precision, missing and hidden links, across cursor pages."""

import datetime

import pytest
from django.db import connection

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
    # The Python path: the kind's export no longer writes its JSON in SQL.
    monkeypatch.setattr(DeploymentExport, "sql_json", lambda self: None)
    assert written == pages(client, query)
    text = b"".join(written)
    # What the comparison is over: links of every kind, names with dates of each precision.
    assert b"Ban: " in text and b", 2019" in text and b", September 2019" in text
    assert b", 5 September 2019" in text and b", 31 December 2021" in text
    assert b'"vendor":null' in text and b'"use_policy_source":{' in text
    if query == "page_size=4":
        assert len(written) == -(-len(deployments) // 4)


def test_a_page_is_one_query_however_many_links(client, django_assert_num_queries):
    linked_everything()
    SourceFactory.create_batch(3)
    with django_assert_num_queries(1):
        assert client.get("/api/v1/deployments/?page_size=200").status_code == 200
