import csv
import datetime
import io
import json

import pytest

from apps.core.models import Visibility
from tests.factories import (
    AgencyFactory,
    NdaFactory,
    RecordsRequestFactory,
    ResponseDeadlineFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests_():
    ResponseDeadlineFactory(country="US", region="WA", days=5, statute="RCW 42.56.520")
    sheriff = AgencyFactory(name="Washington County Sheriff's Office", region="WA")
    police = AgencyFactory(name="Orlando Police Department", region="FL")
    nda = NdaFactory(agency=sheriff)
    release = SourceFactory(title="Released emails", url="https://foia.example.org/emails.pdf")
    return {
        "sheriff": sheriff,
        "police": police,
        "nda": nda,
        "release": release,
        # Filed years ago in a state with a deadline, never answered: overdue.
        "overdue": RecordsRequestFactory(
            agency=sheriff,
            requester="Example Civil Liberties Union",
            subject="Face recognition emails",
            filed_date=datetime.date(2019, 3, 4),
            status="submitted",
            exemptions="RCW 42.56.270(1)",
        ),
        # Filed today: due in five business days, not overdue.
        "fresh": RecordsRequestFactory(
            agency=sheriff,
            requester="A reporter",
            subject="Body cameras",
            filed_date=datetime.date.today(),
            status="acknowledged",
        ),
        # Denied citing the NDA, with a released document.
        "denied": RecordsRequestFactory(
            agency=sheriff,
            requester="Example Civil Liberties Union",
            subject="Vendor contract",
            filed_date=datetime.date(2018, 6, 1),
            closed_date=datetime.date(2018, 7, 1),
            closed_date_precision="day",
            status="denied",
            outcome="The vendor's pricing was withheld under the NDA.",
            sources=[release],
        ),
        # No deadline in Florida; filed only to the month.
        "florida": RecordsRequestFactory(
            agency=police,
            requester="Jane Doe",
            subject="Drone logs",
            filed_date=datetime.date(2020, 5, 1),
            filed_date_precision="month",
            status="submitted",
        ),
    }


@pytest.fixture
def cited(requests_):
    requests_["denied"].ndas_cited.set([requests_["nda"]])
    requests_["denied"].released_documents.set([requests_["release"]])
    return requests_


def listed(client, **params):
    response = client.get("/records-requests/", params)
    assert response.status_code == 200, response.content[:500]
    return {record.pk for record in response.context["object_list"]}


def ids(*records):
    return {record.pk for record in records}


def test_filters(client, cited):
    r = cited
    assert listed(client, agency=r["sheriff"].slug) == ids(r["overdue"], r["fresh"], r["denied"])
    assert listed(client, region="FL") == ids(r["florida"])
    assert listed(client, status=["denied", "submitted"]) == ids(
        r["denied"], r["overdue"], r["florida"]
    )
    assert listed(client, requester="civil liberties") == ids(r["overdue"], r["denied"])
    assert listed(client, year="2018") == ids(r["denied"])
    assert listed(client, cited_nda="yes") == ids(r["denied"])
    assert listed(client, cited_nda="no") == ids(r["overdue"], r["fresh"], r["florida"])
    assert listed(client, released_documents="yes") == ids(r["denied"])
    assert listed(client, released_documents="no") == ids(r["overdue"], r["fresh"], r["florida"])
    assert listed(client, overdue="yes") == ids(r["overdue"])
    assert listed(client, overdue="no") == ids(r["fresh"], r["denied"], r["florida"])
    assert listed(client, q="drone") == ids(r["florida"])


def test_a_withdrawn_nda_or_document_does_not_count(client, cited):
    for record in (cited["nda"], cited["release"]):
        type(record).objects.filter(pk=record.pk).update(visibility=Visibility.WITHDRAWN)
    assert listed(client, cited_nda="yes") == set()
    assert listed(client, released_documents="yes") == set()


def test_sorts(client, cited):
    r = cited
    newest = client.get("/records-requests/").context["object_list"]
    assert [x.pk for x in newest] == [
        r["fresh"].pk,
        r["florida"].pk,
        r["overdue"].pk,
        r["denied"].pk,
    ]
    longest = client.get("/records-requests/", {"sort": "-days"}).context["object_list"]
    # Unknown (month precision) last; 30 days to close is shorter than years open.
    assert [x.pk for x in longest] == [
        r["overdue"].pk,
        r["denied"].pk,
        r["fresh"].pk,
        r["florida"].pk,
    ]
    by_status = client.get("/records-requests/", {"sort": "status"}).context["object_list"]
    assert [x.status for x in by_status] == sorted(x.status for x in by_status)


@pytest.mark.parametrize(
    "params",
    [
        {"status": "lost"},
        {"overdue": "maybe"},
        {"cited_nda": "1"},
        {"released_documents": "perhaps"},
        {"year": "2019.5"},
        {"agency": "nobody-at-all"},
        {"region": "Atlantis"},
        {"sort": "sideways"},
    ],
)
def test_bad_filter_values_are_a_400_with_the_reason(client, requests_, params):
    response = client.get("/records-requests/", params)
    assert response.status_code == 400
    assert response.context["errors"]
    export = client.get("/records-requests/export.csv", params)
    assert export.status_code == 400


def test_list_and_detail_query_counts_are_fixed(client, cited, django_assert_num_queries):
    # count, rows, sources, NDAs cited, released documents; the form's agencies and regions
    with django_assert_num_queries(7):
        response = client.get("/records-requests/")
    assert len(response.context["object_list"]) == 4
    for _ in range(5):
        RecordsRequestFactory(agency=cited["sheriff"]).ndas_cited.set([cited["nda"]])
    with django_assert_num_queries(7):
        client.get("/records-requests/")
    # the request with its agency, sources, NDAs, released documents; the deadline; its
    # version number ("Cite this")
    with django_assert_num_queries(6):
        response = client.get(cited["denied"].get_absolute_url())
    assert response.status_code == 200


def test_detail_page_shows_everything(client, cited):
    page = client.get(cited["denied"].get_absolute_url()).content.decode()
    assert "cited a non-disclosure agreement to withhold records" in page
    assert cited["sheriff"].get_absolute_url() in page
    assert cited["nda"].get_absolute_url() in page
    assert "30 days to close" in page
    assert "Released emails" in page and "Documents released" in page
    assert f"/records-requests/{cited['denied'].pk}/history/" in page

    overdue = client.get(cited["overdue"].get_absolute_url()).content.decode()
    assert "11 March 2019" in overdue  # 5 business days after Monday 4 March 2019
    # Today as the page counted it (a date read when the module was imported is yesterday's
    # for a suite that runs past midnight).
    late = (datetime.date.today() - datetime.date(2019, 3, 11)).days
    assert f"{late} days overdue" in overdue
    assert "RCW 42.56.520" in overdue and "public holidays are not counted out" in overdue

    florida = client.get(cited["florida"].get_absolute_url()).content.decode()
    assert "filed date not known to the day" in florida
    assert "May 2020" in florida


def test_a_document_released_shows_its_pdf_link(client, cited):
    source = cited["release"]
    type(source).objects.filter(pk=source.pk).update(document="sources/released.pdf")
    source.refresh_from_db()
    page = client.get(cited["denied"].get_absolute_url()).content.decode()
    assert source.document_url
    assert f'<a href="{source.document_url}">PDF' in page


def test_unpublished_requests_are_not_public(client, requests_):
    pending = RecordsRequestFactory(visibility=Visibility.PENDING)
    assert client.get(pending.get_absolute_url()).status_code == 404
    assert pending.pk not in listed(client)


def test_exports_carry_the_filters_ids_and_sources(client, cited):
    response = client.get("/records-requests/export.csv", {"cited_nda": "yes"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(cited["denied"].pk)
    assert row["url"].endswith(cited["denied"].get_absolute_url())
    assert row["nda_ids"] == str(cited["nda"].pk)
    assert row["released_document_urls"] == "https://foia.example.org/emails.pdf"
    assert row["source_urls"] == "https://foia.example.org/emails.pdf"
    assert (row["filed_date"], row["closed_date"], row["status"]) == (
        "2018-06-01",
        "2018-07-01",
        "denied",
    )
    data = json.loads(
        b"".join(client.get("/records-requests/export.json", {"overdue": "yes"}).streaming_content)
    )
    assert [record["id"] for record in data["results"]] == [cited["overdue"].pk]
    assert data["results"][0]["filed"] == {"date": "2019-03-04", "precision": "day"}


def test_response_deadline_pages(client, requests_, django_assert_num_queries):
    with django_assert_num_queries(4):
        response = client.get("/response-deadlines/")
    assert "5 business days" in response.content.decode()
    deadline = response.context["object_list"][0]
    with django_assert_num_queries(3):
        page = client.get(deadline.get_absolute_url()).content.decode()
    assert "Washington" in page and "RCW 42.56.520" in page
    assert "public holidays are not modelled" in page
    assert client.get("/response-deadlines/", {"country": "Narnia"}).status_code == 400


def test_nda_page_lists_the_requests_it_was_cited_in(client, cited, django_assert_num_queries):
    with django_assert_num_queries(4):
        response = client.get(cited["nda"].get_absolute_url())
    page = response.content.decode()
    assert cited["denied"].get_absolute_url() in page
    assert "Denied" in page and "pricing was withheld under the NDA" in page


def test_nda_filter_cited_in_request(client, cited):
    other = NdaFactory(agency=cited["police"])

    def ndas(**params):
        response = client.get("/ndas/", params)
        assert response.status_code == 200
        return {nda.pk for nda in response.context["object_list"]}

    assert ndas(cited_in_request="yes") == {cited["nda"].pk}
    assert ndas(cited_in_request="no") == {other.pk}
    assert ndas(cited_in_request="no", region="FL", counterparty_kind="vendor") == {other.pk}
    assert client.get("/ndas/", {"cited_in_request": "often"}).status_code == 400
    # Cited only in a request that is not published: not cited as far as the public knows.
    type(cited["denied"]).objects.filter(pk=cited["denied"].pk).update(
        visibility=Visibility.PENDING
    )
    assert ndas(cited_in_request="yes") == set()


def test_agency_page_lists_its_requests_and_what_its_ndas_blocked(client, cited):
    RecordsRequestFactory(agency=cited["sheriff"], subject="Hidden", visibility="pending")
    page = client.get(cited["sheriff"].get_absolute_url()).content.decode()
    assert "Records requests" in page
    for key in ("overdue", "fresh", "denied"):
        assert cited[key].get_absolute_url() in page
    assert "Hidden" not in page
    assert "cited to withhold records in" in page
    section = page[page.index("Its NDAs and the requests they blocked") :]
    assert cited["denied"].get_absolute_url() in section
