"""An agency's profile timeline: its deployments, contracts, NDAs, records requests (dated by
their filing) and the oversight events it held or that were about its records, newest first,
each at its date's precision, with its published sources; hidden records never."""

import datetime

import pytest

from apps.core.timeline import date_order
from apps.deployments.models import Deployment
from tests import timeline
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    RecordsRequestFactory,
)

pytestmark = pytest.mark.django_db


def test_the_agency_timeline_orders_every_kind_by_date_and_precision(client):
    case = timeline.build_case()
    response = client.get(case.sheriff.get_absolute_url())
    # Its own matters too: an audit of nothing on this page, a request citing another NDA.
    timeline.assert_timeline(
        response,
        case,
        [
            *timeline.shared_story(case),
            ("oversight", case.own_matter, "2016"),
            ("records-request", case.not_citing, "May 2015"),
            ("nda", case.other_nda, "2014"),
            timeline.undated(case),
        ],
    )
    section = timeline.timeline_section(response)
    # The agency is the page's: a request's entry names its requester, not the agency again.
    assert "Filed by Example Civil Liberties Union; closed June 2019" in section
    assert "Filed by Example Civil Liberties Union with" not in section


def test_a_request_entry_gives_its_days_when_both_dates_are_known_to_the_day(client):
    closed = RecordsRequestFactory(
        status="fulfilled", closed_date=datetime.date(2019, 3, 14), closed_date_precision="day"
    )
    section = timeline.timeline_section(client.get(closed.agency.get_absolute_url()))
    assert "Records request · Fulfilled</p>" in section
    assert "; closed 14 March 2019, after 10 days." in section


# ---- A long timeline in pages ----------------------------------------------------------------

# A few dates, so that entries of several kinds share a date and a precision across pages.
DATES = [
    (datetime.date(2019, 3, 1), "day"),
    (datetime.date(2019, 3, 1), "month"),
    (datetime.date(2019, 1, 1), "year"),
    (datetime.date(2018, 7, 9), "day"),
    (None, ""),
]


def _long_timeline(agency):
    """Published entries of every kind on a few shared dates, and hidden ones."""
    records = []
    for index in range(12):
        date, precision = DATES[index % len(DATES)]
        records.append(
            DeploymentFactory(agency=agency, start_date=date, start_date_precision=precision)
        )
        if index % 2:
            records.append(
                ContractFactory(
                    agency=agency,
                    signed_date=None,
                    signed_date_precision="",
                    start_date=date,
                    start_date_precision=precision,
                )
            )
        if index % 3 == 0:
            records.append(
                NdaFactory(agency=agency, signed_date=date, signed_date_precision=precision)
            )
            records.append(
                RecordsRequestFactory(
                    agency=agency, filed_date=date, filed_date_precision=precision
                )
            )
            records.append(
                OversightEventFactory(
                    agency=agency, occurred_date=date or datetime.date(2018, 7, 9)
                )
            )
    DeploymentFactory(agency=agency, visibility="pending")
    return records


def _walk(client, url, link):
    """Every page from `url` on, following the `link` ("older" or "newer") until there is
    none: [[(kind, record pk, date_order of its date)] of each page]."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        items = response.context["timeline"]
        pages.append([(item.kind, item.record.pk, date_order(item.date)) for item in items])
        page = response.context["timeline_page"]
        target = page.older if link == "older" else page.newer
        url = f"{response.request['PATH_INFO']}?timeline={target}" if target else None
    return pages


def test_a_long_timeline_pages_through_every_entry_once_in_date_order(client, monkeypatch):
    monkeypatch.setattr("apps.core.timeline.TIMELINE_PAGE_SIZE", 7)
    agency = AgencyFactory()
    records = _long_timeline(agency)
    pages = _walk(client, agency.get_absolute_url(), "older")
    entries = [entry for page in pages for entry in page]
    assert len(pages) == -(-len(records) // 7)
    assert all(len(page) == 7 for page in pages[:-1])
    # Every published record exactly once, none hidden.
    shown = {(kind, pk) for kind, pk, _order in entries}
    assert len(shown) == len(entries) == len(records)
    assert {pk for kind, pk in shown if kind == "deployment"} == {
        record.pk for record in records if isinstance(record, Deployment)
    }
    # Newest first across the pages (the more precise first on a day), undated last.
    orders = [(not unknown, day, precision) for _k, _pk, (unknown, day, precision) in entries]
    assert orders == sorted(orders, reverse=True)
    assert entries[-1][2][0] is True
    first = client.get(agency.get_absolute_url()).context["timeline_page"]
    assert first.newer is None and first.is_first


def test_walking_back_by_newer_gives_the_same_pages(client, monkeypatch):
    monkeypatch.setattr("apps.core.timeline.TIMELINE_PAGE_SIZE", 5)
    agency = AgencyFactory()
    _long_timeline(agency)
    forward = _walk(client, agency.get_absolute_url(), "older")
    last_url = None
    response = client.get(agency.get_absolute_url())
    while response.context["timeline_page"].older:
        last_url = f"{agency.get_absolute_url()}?timeline={response.context['timeline_page'].older}"
        response = client.get(last_url)
    backward = _walk(client, last_url, "newer")
    assert list(reversed(backward)) == forward


def test_new_records_do_not_shift_the_older_pages(client, monkeypatch):
    monkeypatch.setattr("apps.core.timeline.TIMELINE_PAGE_SIZE", 6)
    agency = AgencyFactory()
    _long_timeline(agency)
    first = client.get(agency.get_absolute_url())
    older = first.context["timeline_page"].older
    second_before = timeline.entries(client.get(f"{agency.get_absolute_url()}?timeline={older}"))
    # Published between two page views: newer than everything, so it goes on page one.
    DeploymentFactory(
        agency=agency, start_date=datetime.date(2025, 1, 1), start_date_precision="day"
    )
    second_after = timeline.entries(client.get(f"{agency.get_absolute_url()}?timeline={older}"))
    assert second_after == second_before


@pytest.mark.parametrize(
    "cursor", ["x2019", "o2019-13-01.2.0.5", "oabc", "o2019-03-01.9.0.5", "o2019-03-01.2.7.5", "o"]
)
def test_a_damaged_timeline_position_shows_the_newest_entries_and_says_so(client, cursor):
    agency = AgencyFactory()
    deployment = DeploymentFactory(agency=agency)
    response = client.get(f"{agency.get_absolute_url()}?timeline={cursor}")
    assert response.status_code == 400
    assert "place in the timeline is damaged" in response.content.decode()
    assert timeline.entries(response) == [("deployment", deployment)]


def test_the_timeline_links_are_shown_only_where_there_is_a_page(client, monkeypatch):
    monkeypatch.setattr("apps.core.timeline.TIMELINE_PAGE_SIZE", 3)
    agency = AgencyFactory()
    for year in (2015, 2016, 2017, 2018):
        DeploymentFactory(agency=agency, start_date=datetime.date(year, 1, 1))
    first = client.get(agency.get_absolute_url()).content.decode()
    assert "Older →" in first and "← Newer" not in first and "« Newest" not in first
    older = client.get(agency.get_absolute_url()).context["timeline_page"].older
    second = client.get(f"{agency.get_absolute_url()}?timeline={older}")
    content = second.content.decode()
    assert "Older →" not in content and "← Newer" in content and "« Newest" in content
    assert [record.start.date.year for _kind, record in timeline.entries(second)] == [2015]


def test_entries_on_the_same_date_page_without_gaps(client, monkeypatch):
    monkeypatch.setattr("apps.core.timeline.TIMELINE_PAGE_SIZE", 3)
    agency = AgencyFactory()
    same_day = {"start_date": datetime.date(2020, 5, 1), "start_date_precision": "day"}
    deployments = [DeploymentFactory(agency=agency, **same_day) for _ in range(8)]
    pages = _walk(client, agency.get_absolute_url(), "older")
    assert [pk for page in pages for _kind, pk, _order in page] == sorted(
        (deployment.pk for deployment in deployments), reverse=True
    )
