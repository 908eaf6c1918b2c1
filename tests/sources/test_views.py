import datetime

import pytest

from apps.core.models import Visibility
from tests.factories import (
    ContractFactory,
    DeploymentFactory,
    OversightEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def test_source_page_lists_everything_that_cites_it(client, django_assert_num_queries):
    source = SourceFactory(title="Documents show sheriff bought face recognition")
    deployment = DeploymentFactory(sources=[source])
    contract = ContractFactory(sources=[source])
    hidden = DeploymentFactory(sources=[source], visibility=Visibility.PENDING)
    event = OversightEventFactory(sources=[source])
    with django_assert_num_queries(9):
        response = client.get(source.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert deployment.get_absolute_url() in content
    assert contract.get_absolute_url() in content
    assert hidden.get_absolute_url() not in content
    assert f'<a href="{event.get_absolute_url()}">{event}</a>' in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=records-release", {"release"}),
        ("publisher=gazette", {"news"}),
        ("year=2016", {"release"}),
        ("", {"news", "release"}),
    ],
)
def test_source_filters(client, query, expected):
    sources = {
        "news": SourceFactory(publisher="Example Gazette", kind="news"),
        "release": SourceFactory(
            publisher="ACLU",
            kind="records-release",
            publication_date=datetime.date(2016, 1, 1),
            publication_date_precision="year",
        ),
    }
    response = client.get(f"/sources/?{query}")
    assert {s.pk for s in response.context["object_list"]} == {sources[k].pk for k in expected}


def test_source_list_query_count_is_fixed(client, django_assert_num_queries):
    SourceFactory.create_batch(7)
    with django_assert_num_queries(2):
        client.get("/sources/")


def test_invalid_source_filter(client):
    response = client.get("/sources/", {"kind": "rumour"})
    assert response.status_code == 400
