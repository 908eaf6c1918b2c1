"""sitemap.xml lists every published record of every kind and the list pages, nothing
pending or withdrawn; robots.txt points at it and keeps crawlers out of the editing pages."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from apps.core.models import Visibility
from apps.records import services
from apps.records.registry import all_kinds
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    RecordsRequestFactory,
    ResponseDeadlineFactory,
)

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(response):
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def all_locations(client):
    """Every address of every section the index lists."""
    found = []
    for section in locations(client.get("/sitemap.xml")):
        found += locations(client.get(section.removeprefix("http://testserver")))
    return found


def test_the_index_has_a_section_per_kind_and_one_of_lists():
    sections = locations(Client().get("/sitemap.xml"))
    expected = ["lists", "regions", *(kind.key for kind in all_kinds())]
    assert sections == [f"http://testserver/sitemap-{key}.xml" for key in expected]


def test_published_records_are_listed_pending_and_withdrawn_are_not(reviewer):
    deployment = DeploymentFactory()
    published = [
        deployment,
        deployment.agency,
        deployment.technology,
        ContractFactory(),
        NdaFactory(),
        RecordsRequestFactory(),
        ResponseDeadlineFactory(),
        OversightEventFactory(),
        deployment.sources.get(),
    ]
    pending = AgencyFactory(visibility=Visibility.PENDING)
    withdrawn = AgencyFactory()
    services.record_set_visibility(
        record=withdrawn, visibility=Visibility.WITHDRAWN, reviewer=reviewer, reason="Wrong"
    )

    found = all_locations(Client())

    for record in published:
        assert f"http://testserver{record.get_absolute_url()}" in found, record
    assert f"http://testserver{pending.get_absolute_url()}" not in found
    assert f"http://testserver{withdrawn.get_absolute_url()}" not in found
    for url in ["/", "/agencies/", "/deployments/", "/response-deadlines/", "/changes/"]:
        assert f"http://testserver{url}" in found
    assert len(found) == len(set(found))


def test_a_section_has_last_modified_dates_and_pinned_queries(django_assert_num_queries):
    AgencyFactory.create_batch(3)
    # The paginator's count, then the page of records.
    with django_assert_num_queries(2):
        response = Client().get("/sitemap-agencies.xml")
    root = ET.fromstring(response.content)
    assert len(root.findall(f"{SITEMAP}url/{SITEMAP}lastmod")) == 3
    # The index: per kind, its latest change and its number of pages; the regions' two
    # grouped counts.
    with django_assert_num_queries(2 * len(all_kinds()) + 2):
        response = Client().get("/sitemap.xml")
    assert b"<lastmod>" in response.content


def test_the_map_the_data_page_and_the_regions_are_listed():
    AgencyFactory(country="US", region="OR")
    lists = locations(Client().get("/sitemap-lists.xml"))
    for path in ("/map/", "/regions/", "/data/"):
        assert f"http://testserver{path}" in lists
    assert locations(Client().get("/sitemap-regions.xml")) == ["http://testserver/regions/US/OR/"]


def test_an_unknown_section_or_page_is_a_404():
    assert Client().get("/sitemap-nothing.xml").status_code == 404
    assert Client().get("/sitemap-agencies.xml?p=9").status_code == 404


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_editing(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        response = Client().get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for path in [
        "/accounts/",
        "/admin/",
        "/review/",
        "/submit/",
        "/contributions/",
        "/agencies/new/",
        "/agencies/*/edit/",
        "/deployments/*/history/",
        "/deployments/export.",
        "/agencies/*/merge/",
        "/healthz",
    ]:
        assert f"Disallow: {path}" in lines
    assert "Disallow: /deployments/*/merge/" not in lines  # deployments are not merged
    # The public pages stay open to crawlers.
    assert not [line for line in lines if line in {"Disallow: /", "Disallow: /agencies/"}]
