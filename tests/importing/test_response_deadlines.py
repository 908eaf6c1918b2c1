"""`import_data response-deadlines`: one deadline per jurisdiction (country and region), no
agency; the due dates of the requests a new deadline governs are computed."""

import datetime

import pytest

from apps.core.models import Visibility
from apps.records_requests.models import ResponseDeadline
from tests.factories import (
    AgencyFactory,
    RecordsRequestFactory,
    ResponseDeadlineFactory,
    SourceFactory,
)
from tests.importing.helpers import (
    assert_round_trip,
    db_state,
    deadline_row,
    empty_the_registry,
    import_data,
    refused,
    volunteer,
    write_csv,
)
from tests.records.test_check_records import check_records

pytestmark = pytest.mark.django_db

KIND = "response-deadlines"


def test_good_file_creates_deadlines_and_dates_the_requests_they_govern(tmp_path):
    request = RecordsRequestFactory(
        agency=AgencyFactory(region="OR"), filed_date=datetime.date(2019, 3, 4)
    )
    assert request.due_date is None
    path = write_csv(
        tmp_path,
        [
            deadline_row(),
            deadline_row(
                region="",
                days="20",
                day_kind="Calendar days",
                statute="5 U.S.C. 552(a)(6)(A)",
                notes="",
                source_urls="https://federal.example.gov/foia",
                source_titles="FOIA",
                source_publishers="",
                source_dates="",
            ),
        ],
        kind=KIND,
    )

    output = import_data(KIND, path)

    assert "Response deadlines: 2 created, 0 matched, 0 rows skipped (nothing new)" in output
    assert "Sources: 2 created, 0 matched, 2 citations added" in output
    oregon = ResponseDeadline.objects.get(region="OR")
    assert (oregon.days, oregon.day_kind, oregon.statute) == (5, "business", "ORS 192.329")
    assert oregon.visibility == Visibility.PUBLISHED
    country_wide = ResponseDeadline.objects.get(region="")
    assert (country_wide.days, country_wide.day_kind) == (20, "calendar")
    request.refresh_from_db()
    assert request.due_date == datetime.date(2019, 3, 11)  # 5 business days
    check_records()


def test_a_volunteers_import_waits_for_review(tmp_path):
    path = write_csv(tmp_path, [deadline_row()], kind=KIND)

    output = import_data(KIND, path, user=volunteer())

    assert "Waiting for review: 1 new record in the review queue" in output
    assert ResponseDeadline.objects.get().visibility == Visibility.PENDING
    check_records()


def test_reimport_creates_nothing_and_keeps_the_stored_values(tmp_path):
    existing = ResponseDeadlineFactory(region="WA", days=5)
    path = write_csv(
        tmp_path, [deadline_row(id="1"), deadline_row(id="2", region="Washington")], kind=KIND
    )
    import_data(KIND, path)
    before = db_state()

    output = import_data(KIND, path)

    assert db_state() == before
    assert "Response deadlines: 0 created, 2 matched, 2 rows skipped (nothing new)" in output
    assert f"kept response deadline #{existing.pk} as stored; the file's statute" in output


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"days": ""}, "days: this column must not be empty."),
        ({"days": "five"}, "days: “five” is not a whole number"),
        ({"days": "0"}, "days: Ensure this value is greater than or equal to 1."),
        ({"days": "400"}, "days: Ensure this value is less than or equal to 365."),
        ({"day_kind": "weeks"}, "day_kind: “weeks” is not an accepted value"),
        ({"statute": ""}, "statute: this column must not be empty."),
        ({"region": "ZZ"}, "region: "),
        ({"country": "Atlantis"}, "country: "),
    ],
)
def test_bad_rows_are_refused_with_their_line(tmp_path, cells, message):
    path = write_csv(
        tmp_path, [deadline_row(), deadline_row(**{"region": "WA", **cells})], kind=KIND
    )

    error = refused(KIND, path)

    assert f"line 3: {message}" in error
    assert "line 2" not in error


def test_two_deadlines_for_one_jurisdiction_are_refused(tmp_path):
    path = write_csv(tmp_path, [deadline_row(id="1"), deadline_row(id="2")], kind=KIND)

    error = refused(KIND, path)

    assert "line 3: Response deadline with this Country and Region already exists." in error


def test_export_import_export_round_trip(client, tmp_path):
    empty_the_registry()
    ResponseDeadlineFactory(region="WA", notes='Or an estimate;\n"ünïcode", =1+1.')
    ResponseDeadlineFactory(
        region="", days=20, day_kind="calendar", sources=[SourceFactory(), SourceFactory()]
    )
    ResponseDeadlineFactory(country="CA", region="ON", days=30, day_kind="calendar")

    assert_round_trip(client, tmp_path, KIND)
