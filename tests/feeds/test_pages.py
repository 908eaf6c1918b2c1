"""The pages link their feeds (in the head for feed readers, and visibly), and every record
page has "Cite this": a permalink, the version shown, the retrieval date, a citation."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from apps.records import services
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    ProductFactory,
    RecordsRequestFactory,
    ResponseDeadlineFactory,
    SourceFactory,
    VendorFactory,
    technology,
)

pytestmark = pytest.mark.django_db


def alternates(content):
    return re.findall(
        r'<link rel="alternate" type="application/atom\+xml" [^>]*href="([^"]+)"', content
    )


@pytest.mark.parametrize(
    "make, feed",
    [
        (AgencyFactory, "/feeds/agencies/{slug}/"),
        (VendorFactory, "/feeds/vendors/{slug}/"),
        (lambda: technology("drones"), "/feeds/technologies/{slug}/"),
    ],
)
def test_profile_pages_link_their_feed(make, feed):
    record = make()
    content = Client().get(record.get_absolute_url()).content.decode()
    url = feed.format(slug=record.slug)
    assert alternates(content) == ["/feeds/changes/", url]
    assert f'<a href="{url}" type="application/atom+xml" class="feed-link">' in content
    assert Client().get(url).status_code == 200


def test_every_page_links_the_site_feed():
    content = Client().get("/changes/").content.decode()
    assert alternates(content) == ["/feeds/changes/"]
    assert 'href="/feeds/changes/" type="application/atom+xml">Atom feed of recent changes' in (
        content
    )


RECORDS = {
    "agency": AgencyFactory,
    "vendor": VendorFactory,
    "product": ProductFactory,
    "technology": lambda: technology("drones"),
    "deployment": DeploymentFactory,
    "contract": ContractFactory,
    "nda": NdaFactory,
    "records-request": RecordsRequestFactory,
    "response-deadline": ResponseDeadlineFactory,
    "oversight-event": OversightEventFactory,
    "source": SourceFactory,
}


@pytest.mark.parametrize("name", RECORDS)
def test_every_record_page_has_cite_this(name, reviewer):
    record = RECORDS[name]()
    if name != "technology":
        services.record_save(record=record, user=reviewer, summary="Check", approved_by=reviewer)
    version = record.history.count()
    today = timezone.localdate().isoformat()
    permalink = f"http://testserver{record.get_absolute_url()}"

    content = Client().get(record.get_absolute_url()).content.decode()

    block = content[content.index('<details class="cite-this">') :]
    block = block[: block.index("</details>")]
    assert f'<a href="{permalink}">{permalink}</a>' in block
    assert f'<time datetime="{today}">' in block
    assert f"<dt>Version</dt><dd>{version}" in block
    from django.utils.html import escape

    expected = (
        f"{record}. Surveillance Tracker, version {version}. {permalink} (retrieved {today})."
    )
    assert f'<p class="citation" data-citation>{escape(expected)}</p>' in block


def test_a_list_filtered_by_one_region_links_its_feed():
    AgencyFactory(region="OR")
    content = Client().get("/deployments/", {"region": "Oregon"}).content.decode()
    assert alternates(content) == ["/feeds/changes/", "/feeds/regions/US/OR/"]
    assert (
        '<a href="/feeds/regions/US/OR/" type="application/atom+xml">Follow changes in Oregon'
        in content
    )
    both = Client().get("/agencies/", {"region": ["OR", "WA"]}).content.decode()
    assert alternates(both) == ["/feeds/changes/"]
