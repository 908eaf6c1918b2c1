"""Atom feeds: valid Atom, entries from the public history of published records only (never a
change waiting for review, a pending record or a withdrawn one's), scoped to an agency, a
vendor, a technology or a region by the lists' own filters, with pinned query counts."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from apps.core.models import Visibility
from apps.records import services
from apps.records.models import ChangeRequest
from tests.editing.test_agency_editing import agency_form
from tests.editing.test_record_forms_editing import approve, edit_data
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    ProductFactory,
    UserFactory,
    VendorFactory,
    sign_in,
    technology,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    # RFC 4287: a feed has an id, a title and an updated date; so does every entry, which
    # also has a link to its record and an author (its own or the feed's).
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}").text, name
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Surveillance Tracker"
    entries = root.findall(f"{ATOM}entry")
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(ids) == len(set(ids)), "entry ids are unique"
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{name}").text, name
        assert entry.find(f"{ATOM}id").text.startswith("tag:testserver,")
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
    return root, entries


def titles(entries):
    return [entry.find(f"{ATOM}title").text for entry in entries]


def links(entries):
    return [entry.find(f"{ATOM}link").get("href") for entry in entries]


def feed_paths(url):
    """The paths of the records the feed at `url` has entries for."""
    _root, entries = parse(Client().get(url))
    return {link.removeprefix("http://testserver") for link in links(entries)}


def logged_in(user):
    client = Client()
    sign_in(client, user)
    return client


def test_site_feed_has_a_reviewers_change_not_a_pending_one(reviewer, volunteer):
    agency = AgencyFactory(name="Washington County Sheriff's Office")
    url = f"/agencies/{agency.slug}/edit/"
    reviewer_client = logged_in(reviewer)
    reviewer_client.post(
        url, edit_data(reviewer_client, url, locality="Hillsboro", edit_summary="Seat of county")
    )
    volunteer_client = logged_in(volunteer)
    volunteer_client.post(
        url, edit_data(volunteer_client, url, locality="Secretville", edit_summary="SECRET EDIT")
    )
    assert ChangeRequest.objects.pending().count() == 1

    root, entries = parse(Client().get("/feeds/changes/"))

    newest = entries[0]
    assert newest.find(f"{ATOM}title").text == (
        "Agency changed: Washington County Sheriff's Office"
    )
    assert newest.find(f"{ATOM}link").get("href") == f"http://testserver/agencies/{agency.slug}/"
    summary = newest.find(f"{ATOM}summary").text
    assert "Seat of county" in summary
    number = agency.history.count()
    assert f"/agencies/{agency.slug}/history/?old={number - 1}&amp;new={number}" in summary
    assert newest.find(f"{ATOM}author/{ATOM}name").text == reviewer.public_name
    assert root.find(f"{ATOM}updated").text == newest.find(f"{ATOM}updated").text
    assert b"SECRET EDIT" not in Client().get("/feeds/changes/").content
    assert b"Secretville" not in Client().get("/feeds/changes/").content


def test_authors_are_named_as_on_the_history_page_never_by_email(reviewer):
    reviewer.display_name = ""
    reviewer.username = "someone@example.org"
    reviewer.email = "someone@example.org"
    reviewer.save()
    agency = AgencyFactory()
    services.record_save(record=agency, user=reviewer, summary="Checked", approved_by=reviewer)

    content = Client().get("/feeds/changes/").content.decode()

    assert "someone@example.org" not in content
    assert f"user #{reviewer.pk}" in content


def test_newly_published_record_is_an_entry_pending_and_withdrawn_ones_are_not(
    volunteer_client, reviewer
):
    volunteer_client.post("/agencies/new/", agency_form(name="Approved Police", ori=""))
    volunteer_client.post(
        "/agencies/new/",
        agency_form(name="Pending Police", ori="", new_source_url="https://news.example.org/other"),
    )
    to_approve, pending = ChangeRequest.objects.order_by("pk")
    assert Client().get("/feeds/changes/").content.count(b"<entry>") == 0
    approve(reviewer, to_approve)
    withdrawn = AgencyFactory(name="Withdrawn Police")
    services.record_set_visibility(
        record=withdrawn, visibility=Visibility.WITHDRAWN, reviewer=reviewer, reason="Wrong"
    )

    _root, entries = parse(Client().get("/feeds/changes/"))

    agencies = [title for title in titles(entries) if title.startswith("Agency")]
    assert agencies == ["Agency published: Approved Police"]
    assert "Source published: Records show what the county bought" in titles(
        entries
    )  # its source, with it
    assert pending.record.get_absolute_url() not in "".join(links(entries))


def test_agency_feed_covers_its_records_only():
    agency = AgencyFactory(name="Orlando Police Department")
    other = AgencyFactory(name="Other Police")
    deployment = DeploymentFactory(agency=agency)
    contract = ContractFactory(agency=agency)
    DeploymentFactory(agency=other)

    assert feed_paths(f"/feeds/agencies/{agency.slug}/") == {
        agency.get_absolute_url(),
        deployment.get_absolute_url(),
        contract.get_absolute_url(),
    }


def test_vendor_feed_covers_products_deployments_contracts_and_ndas_not_customers():
    vendor = VendorFactory(name="Amazon")
    product = ProductFactory(vendor=vendor, name="Rekognition")
    deployment = DeploymentFactory(product=product)
    nda = NdaFactory(counterparty_vendor=vendor)

    assert feed_paths(f"/feeds/vendors/{vendor.slug}/") == {
        vendor.get_absolute_url(),
        product.get_absolute_url(),
        deployment.get_absolute_url(),
        nda.get_absolute_url(),
    }


def test_technology_and_region_feeds():
    oregon = AgencyFactory(region="OR")
    washington = AgencyFactory(region="WA")
    face = DeploymentFactory(agency=oregon, technology=technology("face-recognition"))
    DeploymentFactory(agency=washington, technology=technology("drones"))

    urls = feed_paths("/feeds/technologies/face-recognition/")
    assert face.get_absolute_url() in urls
    assert all(not url.startswith("/agencies/") for url in urls)
    assert len([u for u in urls if u.startswith("/deployments/")]) == 1

    assert feed_paths("/feeds/regions/us/or/") == {
        oregon.get_absolute_url(),
        face.get_absolute_url(),
    }


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/agencies/no-such-agency/",
        "/feeds/vendors/no-such-vendor/",
        "/feeds/technologies/no-such-technology/",
        "/feeds/regions/us/zz/",
        "/feeds/regions/zz/or/",
        "/feeds/regions/usa/or/",
    ],
)
def test_unknown_subject_is_a_404(url):
    assert Client().get(url).status_code == 404


def test_withdrawn_agency_has_no_feed(reviewer):
    agency = AgencyFactory()
    services.record_set_visibility(
        record=agency, visibility=Visibility.WITHDRAWN, reviewer=reviewer, reason="Duplicate"
    )
    assert Client().get(f"/feeds/agencies/{agency.slug}/").status_code == 404


def test_feed_length_is_bounded(settings):
    from apps.feeds import entries

    AgencyFactory.create_batch(3)
    scope = entries.site_scope(title="t", link="/", description="d")
    assert len(entries.feed_entries(scope, limit=4)) == 4


def test_query_counts_do_not_grow_with_entries(django_assert_num_queries, reviewer):
    author = UserFactory()
    for _ in range(2):
        agency = AgencyFactory()
        services.record_save(record=agency, user=author, summary="Edit", approved_by=reviewer)
    DeploymentFactory()
    # One query per kind (11) for its versions, one per kind with entries (agencies,
    # deployments, their vendors and sources) for their records.
    with django_assert_num_queries(16):
        parse(Client().get("/feeds/changes/"))
    for _ in range(3):
        agency = AgencyFactory()
        DeploymentFactory(agency=agency)
        services.record_save(record=agency, user=author, summary="Edit", approved_by=reviewer)
    with django_assert_num_queries(16):
        parse(Client().get("/feeds/changes/"))


@pytest.mark.parametrize(
    "url, queries",
    [
        # The subject, then per kind the list filter's lookup of it and the versions, then
        # the records of the entries' kinds.
        ("/feeds/agencies/{agency}/", 16),
        ("/feeds/vendors/{vendor}/", 19),
        ("/feeds/technologies/face-recognition/", 10),
        ("/feeds/regions/US/OR/", 11),
    ],
)
def test_subject_feeds_query_counts_are_pinned(url, queries, django_assert_num_queries):
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor)
    agency = AgencyFactory(region="OR")
    url = url.format(agency=agency.slug, vendor=vendor.slug)
    for _ in range(2):  # the same with twice the entries
        DeploymentFactory(agency=agency, product=product, technology=technology())
        ContractFactory(agency=agency, vendor=vendor)
        NdaFactory(agency=agency, counterparty_vendor=vendor)
        with django_assert_num_queries(queries):
            _root, entries = parse(Client().get(url))
        assert entries
