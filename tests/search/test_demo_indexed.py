"""The demo loader writes through the gateway: what it publishes is in the search index, as
`reindex_search` would build it."""

import pytest
from django.test import Client

from apps.demo.loader import load_demo_data
from apps.records.models import SearchEntry
from apps.records.search import indexed_kinds, reindex

pytestmark = pytest.mark.django_db


def index_contents():
    return set(SearchEntry.objects.values_list("kind", "record_id", "name", "names", "text"))


def test_the_demo_data_is_indexed_as_a_rebuild_would_index_it():
    load_demo_data()
    for kind in indexed_kinds():
        published = kind.model.objects.all()
        if kind.publishable:
            published = published.published()
        indexed = SearchEntry.objects.filter(kind=kind.key).values_list("record_id", flat=True)
        assert set(indexed) == set(published.values_list("pk", flat=True)), kind.key
    loaded = index_contents()
    reindex()
    assert index_contents() == loaded
    groups = Client().get("/search/", {"q": "Rekogniton Orlado"}).context["groups"]
    assert {group["kind"].key for group in groups} >= {"deployments"}
