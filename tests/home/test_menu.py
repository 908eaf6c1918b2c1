"""The site's top menu comes from the registry of kinds: every kind with a public list, in
the registry's order, then the pages that are no kind's list (the map), at no database
query."""

import re

import pytest
from django.test import RequestFactory

from apps.home.context_processors import site_menu
from tests.factories import OversightEventFactory

pytestmark = pytest.mark.django_db


def menu(page):
    match = re.search(r'<nav aria-label="Site" class="site-menu">(.*?)</nav>', page, re.S)
    return re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', match.group(1))


def test_the_menu_links_every_public_list_in_the_registry_s_order(client):
    page = client.get("/").content.decode()
    assert [(url, label) for url, _current, label in menu(page)] == [
        ("/deployments/", "Deployments"),
        ("/agencies/", "Agencies"),
        ("/vendors/", "Vendors"),
        ("/products/", "Products"),
        ("/technologies/", "Technologies"),
        ("/contracts/", "Contracts"),
        ("/ndas/", "NDAs"),
        ("/records-requests/", "Records requests"),
        ("/oversight/", "Oversight events"),
        ("/sources/", "Sources"),
        ("/regions/", "Regions"),
        ("/map/", "Map"),
    ]


def test_response_deadlines_are_reached_from_the_records_requests_list(client):
    page = client.get("/records-requests/").content.decode()
    assert "/response-deadlines/" not in [url for url, _current, _label in menu(page)]
    assert '<a href="/response-deadlines/">legal response deadline</a>' in page


def test_the_menu_marks_the_list_the_page_belongs_to(client):
    for path in ("/oversight/", OversightEventFactory().get_absolute_url()):
        entries = menu(client.get(path).content.decode())
        assert [label for _url, current, label in entries if current] == ["Oversight events"]


def test_the_menu_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        entries = site_menu(RequestFactory().get("/records-requests/"))["site_menu"]
    assert ("Records requests", "/records-requests/", True) in entries
    assert ("Deployments", "/deployments/", False) in entries
