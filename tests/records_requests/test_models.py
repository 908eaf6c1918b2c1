"""The rules of records requests and response deadlines: date order, open and closed
statuses, due dates in business or calendar days, and never more precision than known."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from apps.core.models import Visibility
from apps.records_requests.models import RecordsRequest, add_days
from tests.factories import AgencyFactory, RecordsRequestFactory, ResponseDeadlineFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2019, 3, 4)
FRIDAY = datetime.date(2019, 3, 8)


def test_business_days_skip_weekends_and_calendar_days_do_not():
    assert add_days(MONDAY, 5, "business") == datetime.date(2019, 3, 11)
    assert add_days(FRIDAY, 1, "business") == datetime.date(2019, 3, 11)
    assert add_days(FRIDAY, 10, "calendar") == datetime.date(2019, 3, 18)


def test_closed_before_filed_is_refused_by_the_model_and_the_database():
    request = RecordsRequestFactory.build(
        agency=AgencyFactory(),
        status="denied",
        closed_date=datetime.date(2019, 1, 1),
        closed_date_precision="day",
    )
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert error.value.message_dict["closed_date"] == [
        "The request cannot be closed before it was filed."
    ]
    with pytest.raises(IntegrityError):
        request.save()


def test_an_open_request_has_no_closed_date():
    request = RecordsRequestFactory.build(
        agency=AgencyFactory(),
        status="processing",
        closed_date=datetime.date(2019, 5, 1),
        closed_date_precision="day",
    )
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "still open" in error.value.message_dict["closed_date"][0]


def test_due_date_follows_the_agencys_jurisdiction_in_business_days():
    ResponseDeadlineFactory(country="US", region="WA", days=5, day_kind="business")
    request = RecordsRequestFactory(agency=AgencyFactory(region="WA"), filed_date=MONDAY)
    assert request.due_date == datetime.date(2019, 3, 11)
    assert request.days_overdue(today=datetime.date(2019, 3, 14)) == 3
    assert request.days_overdue(today=datetime.date(2019, 3, 11)) == 0
    assert request.days_elapsed(today=datetime.date(2019, 3, 14)) == 10


def test_a_country_wide_deadline_applies_where_the_region_has_none():
    ResponseDeadlineFactory(country="US", region="", days=20, day_kind="calendar")
    request = RecordsRequestFactory(agency=AgencyFactory(region="OR"), filed_date=MONDAY)
    assert request.due_date == datetime.date(2019, 3, 24)


@pytest.mark.parametrize("precision", ["month", "year"])
def test_a_request_filed_in_a_month_or_year_has_no_due_date_nor_days(precision):
    ResponseDeadlineFactory(country="US", region="WA")
    request = RecordsRequestFactory(
        agency=AgencyFactory(region="WA"),
        filed_date=datetime.date(2019, 3, 1),
        filed_date_precision=precision,
    )
    assert request.due_date is None
    assert request.days_elapsed() is None
    assert request.days_overdue() is None


def test_days_to_close_need_both_dates_to_the_day():
    request = RecordsRequestFactory(
        status="fulfilled",
        closed_date=datetime.date(2019, 4, 3),
        closed_date_precision="day",
    )
    assert (request.is_open, request.days_elapsed()) == (False, 30)
    request.closed_date_precision = "month"
    assert request.days_elapsed() is None
    # A closed request is never overdue, whatever its deadline.
    assert request.days_overdue() is None


def test_changing_a_deadline_recomputes_its_jurisdictions_due_dates():
    deadline = ResponseDeadlineFactory(country="US", region="WA", days=5)
    washington = RecordsRequestFactory(agency=AgencyFactory(region="WA"), filed_date=MONDAY)
    oregon = RecordsRequestFactory(agency=AgencyFactory(region="OR"), filed_date=MONDAY)
    deadline.days, deadline.day_kind = 10, "calendar"
    deadline.save()
    due = dict(RecordsRequest.objects.values_list("pk", "due_date"))
    assert due == {washington.pk: datetime.date(2019, 3, 14), oregon.pk: None}
    # A withdrawn deadline no longer applies.
    deadline.visibility = Visibility.WITHDRAWN
    deadline.save()
    assert RecordsRequest.objects.get(pk=washington.pk).due_date is None


def test_moving_a_deadline_to_another_region_updates_both():
    deadline = ResponseDeadlineFactory(country="US", region="WA", days=5)
    washington = RecordsRequestFactory(agency=AgencyFactory(region="WA"), filed_date=MONDAY)
    oregon = RecordsRequestFactory(agency=AgencyFactory(region="OR"), filed_date=MONDAY)
    deadline.region = "OR"
    deadline.save()
    washington.refresh_from_db()
    oregon.refresh_from_db()
    assert (washington.due_date, oregon.due_date) == (None, datetime.date(2019, 3, 11))


def test_an_agency_moving_region_takes_its_requests_to_the_new_deadline():
    ResponseDeadlineFactory(country="US", region="WA", days=5)
    agency = AgencyFactory(region="OR")
    request = RecordsRequestFactory(agency=agency, filed_date=MONDAY)
    assert request.due_date is None
    agency.region = "WA"
    agency.save()
    request.refresh_from_db()
    assert request.due_date == datetime.date(2019, 3, 11)


def test_one_deadline_per_jurisdiction_and_regions_are_real():
    ResponseDeadlineFactory(country="US", region="WA")
    duplicate = ResponseDeadlineFactory.build(country="US", region="WA")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "__all__" in error.value.message_dict
    bad = ResponseDeadlineFactory.build(country="US", region="ZZ")
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "region" in error.value.message_dict


def test_only_a_request_never_answered_can_be_overdue():
    """The statute's deadline is for the first response: once the agency acknowledged the
    request (or asked for payment, or it went to appeal), it is not overdue however long it
    has been open."""
    ResponseDeadlineFactory(country="US", region="WA", days=5, day_kind="business")
    agency = AgencyFactory(country="US", region="WA")
    old = datetime.date(2019, 3, 4)
    waiting = RecordsRequestFactory(agency=agency, filed_date=old, status="submitted")
    answered = RecordsRequestFactory(agency=agency, filed_date=old, status="acknowledged")
    assert waiting.days_overdue(today=datetime.date(2019, 3, 14)) == 3
    assert answered.days_overdue(today=datetime.date(2019, 3, 14)) is None
    assert list(RecordsRequest.objects.overdue(today=datetime.date(2019, 3, 14))) == [waiting]
