"""record_url() and AbsoluteUrls put addresses together around each record's key; they
must be exactly what reverse() and build_absolute_uri() write, for every kind (a kind whose
address read another field than its lookup would get wrong links on every page, API page
and export)."""

import re

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix

from apps.core import record_urls
from apps.core.record_urls import AbsoluteUrls, record_url
from apps.records.registry import all_kinds
from tests.factories import KIND_FACTORIES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hosts(settings):
    settings.ALLOWED_HOSTS = ["registry.example", "mirror.example"]


@pytest.fixture
def request_():
    return RequestFactory().get("/", secure=True, HTTP_HOST="registry.example")


@pytest.mark.parametrize("kind", all_kinds(), ids=lambda kind: kind.key)
def test_a_records_address_is_its_own_for_every_kind(kind, request_):
    urls = AbsoluteUrls(request_)
    first, second = KIND_FACTORIES[kind.key](), KIND_FACTORIES[kind.key]()
    for record in (first, second):
        expected = request_.build_absolute_uri(record.get_absolute_url())
        assert expected.startswith("https://registry.example/")
        assert urls.of_record(record) == expected
        api = f"api:{kind.key}-detail"
        key = getattr(record, kind.lookup)
        assert urls.of_view(api, key) == request_.build_absolute_uri(reverse(api, args=[key]))


def test_a_key_the_patterns_would_quote_or_refuse_goes_through_reverse(request_):
    urls = AbsoluteUrls(request_)
    assert urls.of_view("agencies:detail", "a-b_1") == "https://registry.example/agencies/a-b_1/"
    # Not put together around the cached address: refused as reverse() refuses it.
    with pytest.raises(NoReverseMatch):
        urls.of_view("agencies:detail", "a b")
    with pytest.raises(NoReverseMatch):
        urls.of_view("deployments:detail", "12/../34")


def test_the_address_follows_the_requests_host_and_scheme():
    plain = RequestFactory().get("/", HTTP_HOST="mirror.example")
    assert AbsoluteUrls(plain).of_view("deployments:detail", 7) == (
        "http://mirror.example/deployments/7/"
    )


@pytest.mark.parametrize("kind", all_kinds(), ids=lambda kind: kind.key)
def test_a_records_page_address_is_what_reverse_writes(kind, monkeypatch):
    records = [KIND_FACTORIES[kind.key](), KIND_FACTORIES[kind.key]()]
    put_together = [record.get_absolute_url() for record in records]
    # Two records, two addresses (the technology factory may give the same record twice).
    assert len(set(put_together)) == len({record.pk for record in records})
    # No key is plain now: every address goes through reverse().
    monkeypatch.setattr(record_urls, "_PLAIN_KEY", re.compile(r"(?!)"))
    assert put_together == [record.get_absolute_url() for record in records]


def test_a_page_address_follows_the_script_prefix():
    assert record_url("deployments:detail", 7) == "/deployments/7/"
    set_script_prefix("/registry/")
    try:
        assert record_url("deployments:detail", 7) == "/registry/deployments/7/"
        assert record_url("agencies:detail", "x-1") == "/registry/agencies/x-1/"
    finally:
        set_script_prefix("/")
    assert record_url("deployments:detail", 8) == "/deployments/8/"


def test_an_unsaved_record_has_no_address_as_before():
    with pytest.raises(NoReverseMatch):
        record_url("deployments:detail", None)
    with pytest.raises(NoReverseMatch):
        record_url("agencies:detail", "")
