"""Canaries: what waits for review and what is private never reaches a public page.

The world (tests/security/world.py) holds a pending new record of every kind edited on the
site, pending edits of published records, a rejected edit, a withdrawn record and an open
tip, all carrying EMBARGO; and people whose email addresses, and tipsters whose email
addresses, network addresses and browsers, are canaries too (PII), while their display names
are public by design (the volunteer's approved edits put theirs in public histories).

Every public address is fetched, as an anonymous visitor and as a volunteer who wrote none
of the pending records: every page the permission matrix lets anonymous visitors open, every
list with its filters, sorts and a search for the canary, every export in each format, every
published record's page, history, API entry and feed, the map's data, the sitemap and the
data package (its archive unpacked). No response may hold a canary."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from apps.records.registry import all_kinds

from .matrix import MATRIX
from .world import (
    EMBARGO,
    EMBARGO_QUERY,
    OTHER_EMBARGO,
    PII,
    TIPSTER_EMAIL,
)

EXPORT_FORMATS = ("csv", "json", "jsonl")


def _filters(kind, world):
    """Query strings for the kind's list (and its exports and API list, which share its
    filters): unfiltered, searched for the canary, and filtered by the published records
    the pending ones link to."""
    base = kind.filterset_class.base_filters
    agency, vendor = world.published["agencies"], world.published["vendors"]
    queries = ["", f"?q={EMBARGO_QUERY}", "?region=OR", "?region=WA"]
    for name, value in (
        ("agency", agency.slug),
        ("vendor", vendor.slug),
        ("counterparty", vendor.slug),
        ("technology", "face-recognition"),
        ("country", "US"),
    ):
        if name in base:
            queries.append(f"?{name}={value}&q={EMBARGO_QUERY}")
    return queries


def _sorts(kind):
    return [f"?sort={sort}" for sort in getattr(kind.filterset_class, "sort_options", {})]


def _published(kind):
    model = kind.model
    if hasattr(model.objects.all(), "published"):
        return list(model.objects.all().published())
    return list(model.objects.all())


def public_addresses(world):
    """Every address an anonymous visitor may open that the world gives content to."""
    urls = [case.url(world) for cases in MATRIX.values() for case in cases if case.public]
    for kind in all_kinds():
        if not kind.list_selector:
            continue
        queries = _filters(kind, world)
        list_url = reverse(kind.list_url_name)
        api_url = reverse(f"api:{kind.key}-list")
        urls += [list_url + query for query in queries + _sorts(kind)]
        urls += [api_url + query for query in queries]
        if kind.export:
            urls += [
                reverse(f"{kind.key}:export", args=[fmt]) + query
                for fmt in EXPORT_FORMATS
                for query in queries[:2]
            ]
            csv = reverse(f"{kind.key}:export", args=["csv"])
            urls += [csv + query for query in queries[2:] + _sorts(kind)]
        for record in _published(kind):
            key = getattr(record, "slug", None) or record.pk
            urls += [record.get_absolute_url(), reverse(f"api:{kind.key}-detail", args=[key])]
            if kind.editable:
                history = reverse("editing:history", kwargs={"kind": kind.key, "key": key})
                versions = record.history.count()
                urls += [history, f"{history}?old=1&new={versions}"]
                urls += [f"{history}?old={n}&new={n + 1}" for n in range(1, versions)]
    agency, vendor = world.published["agencies"], world.published["vendors"]
    urls += [
        f"/search/?q={EMBARGO_QUERY}",
        f"/search/?q={EMBARGO_QUERY}&kind=sources",
        "/search/?q=example",
        "/search/?q=sheriff&region=OR",
        reverse("feeds:agency", args=[agency.slug]),
        reverse("feeds:vendor", args=[vendor.slug]),
        reverse("feeds:vendor", args=[world.extra["vera_vendor"].slug]),
        f"/map/?q={EMBARGO_QUERY}",
        f"/map/agencies.geojson?q={EMBARGO_QUERY}",
        f"/map/agencies.geojson?agency={agency.slug}",
        "/map/agencies.geojson?region=OR",
        "/regions/US/WA/",
        "/changes/?page=1",
        "/agencies/transparency/?sort=-public_process",
        *(f"/sitemap-{kind.key}.xml?p=1" for kind in all_kinds()),
    ]
    return list(dict.fromkeys(urls))


# Pages only signed-in volunteers open, where each sees their own pending records and must
# see no one else's: the pickers' suggestions, their contributions and the empty forms.
def volunteer_addresses():
    urls = ["/contributions/"]
    for kind in all_kinds():
        if kind.editable:
            urls += [
                reverse("editing:autocomplete", args=[kind.key]) + f"?q={query}"
                for query in (EMBARGO_QUERY, OTHER_EMBARGO[:10], "source", "agency")
            ]
            urls.append(reverse("editing:create", kwargs={"kind": kind.key}))
    return urls


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"\n".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace").lower()


def leaks(client, urls, canaries):
    """[(url, canary)] for every canary found in any of the responses; a server error is a
    leak of its own kind."""
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        text = body(response)
        found += [(url, canary) for canary in canaries if canary.lower() in text]
    return found


@pytest.fixture
def addresses(world):
    urls = public_addresses(world)
    assert len(urls) > 400, "fewer public addresses than expected: is the world empty?"
    return urls


def test_the_canaries_are_where_reviewers_look(world):
    """The controls: the pending text and the tipster's address are in the data, where a
    reviewer is meant to see them, so their absence elsewhere means something."""
    queue = body(world.client("reviewer").get("/review/"))
    assert EMBARGO in queue and TIPSTER_EMAIL in queue
    for name, change in world.changes.items():
        page = body(world.client("reviewer").get(change.get_absolute_url()))
        assert EMBARGO in page or OTHER_EMBARGO in page, name
    assert EMBARGO in body(world.client("volunteer").get("/contributions/"))
    archive = world.client("anonymous").get("/data/archive.zip")
    assert archive.status_code == 200 and "example county sheriff" in body(archive)


@pytest.mark.parametrize("role", ["anonymous", "other_volunteer"])
def test_nothing_pending_or_private_is_on_a_public_page(world, addresses, role):
    found = leaks(world.client(role), addresses, [EMBARGO, OTHER_EMBARGO, *PII])
    pending = [(url, canary) for url, canary in found if canary in (EMBARGO, OTHER_EMBARGO)]
    assert pending == [], "text waiting for review (or withdrawn, or in a tip) is public"
    assert found == [], "an email or network address is public"


@pytest.mark.parametrize(
    ("role", "others"), [("volunteer", OTHER_EMBARGO), ("other_volunteer", EMBARGO)]
)
def test_a_volunteer_never_sees_another_volunteers_pending_records(world, role, others):
    client = world.client(role)
    assert leaks(client, volunteer_addresses(), [others, *PII]) == []


def _ids(response):
    payload = json.loads(body(response))
    return sorted(row["id"] for row in payload["results"])


@pytest.mark.parametrize("kind", [k for k in all_kinds() if k.list_selector], ids=lambda k: k.key)
def test_lists_count_only_published_records(world, kind):
    """A pending record holds no text of its own to find, but counting it would still tell:
    the API and the export list exactly the published records."""
    expected = sorted(record.pk for record in _published(kind))
    client = world.client("anonymous")
    api = client.get(reverse(f"api:{kind.key}-list") + "?page_size=200")
    assert _ids(api) == expected
    if kind.export:
        assert _ids(client.get(reverse(f"{kind.key}:export", args=["json"]))) == expected
