"""An agency's profile timeline: its deployments, contracts, NDAs, records requests (dated by
their filing) and the oversight events it held or that were about its records, newest first,
each at its date's precision, with its published sources; hidden records never."""

import datetime

import pytest

from tests import timeline
from tests.factories import RecordsRequestFactory

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
