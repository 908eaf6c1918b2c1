"""Searches and exports are limited per client (apps/core/limits.py): beyond SEARCH_RATE or
EXPORT_RATE a 429 that says why and how long to wait, with Retry-After; other clients, and
the reads that cost little, are not affected."""

import pytest

from tests.factories import DeploymentFactory

pytestmark = pytest.mark.django_db

ONE = {"REMOTE_ADDR": "198.51.100.7"}
ANOTHER = {"REMOTE_ADDR": "198.51.100.8"}


@pytest.fixture
def deployment():
    return DeploymentFactory(summary="Cameras reading plates at the bridge")


def test_the_search_page_refuses_the_search_over_the_limit(client, settings, deployment):
    settings.SEARCH_RATE = "3/m"
    for _ in range(3):
        assert client.get("/search/", {"q": "plates"}, **ONE).status_code == 200
    response = client.get("/search/", {"q": "plates"}, **ONE)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    page = response.content.decode()
    assert "Too many searches from your connection" in page
    assert f"try again in {response['Retry-After']} seconds" in page
    assert "plates at the bridge" not in page
    # Another client searches as before; the empty search form costs nothing and is not limited.
    assert client.get("/search/", {"q": "plates"}, **ANOTHER).status_code == 200
    assert client.get("/search/", **ONE).status_code == 200


def test_a_searched_list_counts_as_a_search_and_a_plain_list_does_not(client, settings, deployment):
    settings.SEARCH_RATE = "2/m"
    assert client.get("/search/", {"q": "plates"}, **ONE).status_code == 200
    assert client.get("/deployments/", {"q": "plates"}, **ONE).status_code == 200
    refused = client.get("/contracts/", {"q": "plates"}, **ONE)
    assert refused.status_code == 429
    assert "Too many searches" in refused.content.decode()
    for _ in range(3):
        assert client.get("/deployments/", {"status": "active"}, **ONE).status_code == 200
        assert client.get("/deployments/", {"q": " "}, **ONE).status_code == 200


@pytest.mark.parametrize(
    "fmt, content_type",
    [("csv", "text/plain"), ("json", "application/json"), ("jsonl", "application/json")],
)
def test_exports_over_the_limit_are_refused_in_their_own_terms(
    client, settings, deployment, fmt, content_type
):
    settings.EXPORT_RATE = "2/m"
    url = f"/deployments/export.{fmt}"
    for _ in range(2):
        response = client.get(url, **ONE)
        assert response.status_code == 200
        b"".join(response.streaming_content)
    response = client.get(url, **ONE)
    assert response.status_code == 429
    assert response["Content-Type"].startswith(content_type)
    assert 0 < int(response["Retry-After"]) <= 60
    assert b"Too many downloads from your connection" in response.content
    assert b"plates" not in response.content
    # Exports of every kind share the allowance; another client's is its own.
    assert client.get("/agencies/export.csv", **ONE).status_code == 429
    assert client.get(url, **ANOTHER).status_code == 200


def test_an_export_refusal_points_to_the_data_package_and_a_search_refusal_does_not(
    client, settings
):
    settings.SEARCH_RATE = "1/m"
    settings.EXPORT_RATE = "1/m"
    client.get("/search/", {"q": "anything"}, **ONE)
    searched = client.get("/search/", {"q": "anything"}, **ONE).content.decode()
    assert "Too many searches" in searched and "one download" not in searched
    client.get("/deployments/export.csv", **ONE)
    refused = client.get("/deployments/export.csv", **ONE).content.decode()
    assert "The whole registry is one download, with no limit: http://testserver/data/" in refused


def test_a_refusal_is_never_stored_by_the_page_cache(client, settings, deployment):
    settings.PAGE_CACHE = True
    settings.SEARCH_RATE = "1/m"
    assert client.get("/search/", {"q": "plates"}, **ONE).status_code == 200
    assert client.get("/search/", {"q": "bridge"}, **ONE).status_code == 429
    # A new client asking for the refused search gets the results, not the stored refusal.
    response = client.get("/search/", {"q": "bridge"}, **ANOTHER)
    assert response.status_code == 200
    assert "Too many" not in response.content.decode()
