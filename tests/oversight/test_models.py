"""The rules of an oversight event, in the model (full_clean) and in the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.core.partial_dates import PartialDate
from apps.core.timeline import build_timeline, date_order
from apps.oversight.models import EventKind, OversightEvent
from tests.factories import AgencyFactory, OversightEventFactory

pytestmark = pytest.mark.django_db

TALLY_ONLY_FOR_VOTES = "Only a council / board vote or a consent-agenda approval has a vote tally."


def event(**values):
    """An unsaved event with the factory's defaults."""
    return OversightEventFactory.build(agency=AgencyFactory(), **values)


@pytest.mark.parametrize("kind", ["vote", "consent-agenda"])
def test_a_vote_carries_a_tally(kind):
    vote = event(kind=kind, yes_votes=3, no_votes=0, abstentions=1, absent=1)
    vote.full_clean()
    assert vote.tally == {"votes for": 3, "votes against": 0, "abstentions": 1, "absent": 1}


@pytest.mark.parametrize("kind", ["public-hearing", "administrative-approval", "ban", "lawsuit"])
def test_only_votes_carry_a_tally(kind):
    hearing = event(kind=kind, yes_votes=None, no_votes=4)
    with pytest.raises(ValidationError) as error:
        hearing.full_clean()
    assert error.value.message_dict == {"no_votes": [TALLY_ONLY_FOR_VOTES]}
    event(kind=kind).full_clean()


def test_a_tally_is_not_negative():
    with pytest.raises(ValidationError) as error:
        event(yes_votes=-1).full_clean()
    assert "yes_votes" in error.value.message_dict


def test_a_tally_fits_its_column_on_every_database():
    # SQLite stores any integer; PostgreSQL refuses one past a smallint's range.
    with pytest.raises(ValidationError) as error:
        event(yes_votes=70000).full_clean()
    assert "yes_votes" in error.value.message_dict


def test_an_approval_outvoted_by_its_own_tally_is_refused():
    with pytest.raises(ValidationError) as error:
        event(yes_votes=1, no_votes=6, outcome="approved").full_clean()
    assert "Approved with 1 for and 6 against?" in error.value.message_dict["outcome"][0]
    # A motion can fail with more votes for than against (a supermajority was needed).
    event(yes_votes=4, no_votes=3, outcome="rejected").full_clean()


def test_a_finding_is_not_dated_after_today():
    finding = event(
        kind=EventKind.NO_PUBLIC_PROCESS,
        yes_votes=None,
        no_votes=None,
        public_comment="unknown",
        occurred_date=datetime.date(2099, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        finding.full_clean()
    assert "after today" in error.value.message_dict["occurred_date"][0]


def test_a_finding_of_no_public_process_has_no_tally_and_no_public_comment():
    finding = event(
        kind=EventKind.NO_PUBLIC_PROCESS, yes_votes=1, no_votes=None, public_comment="no"
    )
    with pytest.raises(ValidationError) as error:
        finding.full_clean()
    assert error.value.message_dict["yes_votes"] == [TALLY_ONLY_FOR_VOTES]
    assert "leave it unknown" in error.value.message_dict["public_comment"][0]


def test_a_finding_is_dated_by_its_research():
    finding = event(
        kind=EventKind.NO_PUBLIC_PROCESS,
        public_comment="unknown",
        occurred_date=None,
        occurred_date_precision="",
    )
    with pytest.raises(ValidationError) as error:
        finding.full_clean()
    assert error.value.message_dict == {
        "occurred_date": ["Give the date of the research that found no public process."]
    }
    finding.occurred = PartialDate.parse("2020-06")
    finding.full_clean()
    # Any other event may be undated.
    event(occurred_date=None, occurred_date_precision="").full_clean()


@pytest.mark.parametrize(
    "values",
    [
        {"kind": "public-hearing", "yes_votes": 2},
        {"kind": "no-public-process-found", "yes_votes": None, "no_votes": None},
        {
            "kind": "no-public-process-found",
            "yes_votes": None,
            "no_votes": None,
            "public_comment": "unknown",
            "occurred_date": None,
            "occurred_date_precision": "",
        },
    ],
    ids=["tally-on-a-hearing", "finding-with-public-comment", "undated-finding"],
)
def test_the_database_holds_the_rules_too(values):
    with pytest.raises(IntegrityError), transaction.atomic():
        OversightEvent.objects.create(agency=AgencyFactory(), **values)


def test_str_and_address_name_the_kind_the_agency_and_the_date():
    vote = OversightEventFactory(agency=AgencyFactory(name="Example City Council"))
    assert str(vote) == "Council / board vote: Example City Council, 5 March 2018"
    assert vote.get_absolute_url() == f"/oversight/{vote.pk}/"


def test_partial_dates_sort_by_their_earliest_day_then_the_less_precise_first():
    typed = ["2019-03-05", None, "2019", "2018-12-31", "2019-03", "2019-01-01", "2019-03-06"]
    dates = [PartialDate.parse(text) if text else None for text in typed]
    ordered = [date.iso if date else None for date in sorted(dates, key=date_order)]
    assert ordered == [
        "2018-12-31",
        "2019",
        "2019-01-01",
        "2019-03",
        "2019-03-05",
        "2019-03-06",
        None,
    ]


def test_profile_timelines_keep_newest_first_with_the_same_rule():
    class Dated:
        def __init__(self, text):
            self.start = PartialDate.parse(text)

    items = build_timeline(deployments=[Dated("2019"), Dated("2019-01-01"), Dated("2018")])
    assert [item.date.iso for item in items] == ["2019-01-01", "2019", "2018"]


@pytest.mark.parametrize(
    ("typed", "last"),
    [("2019", (2019, 12, 31)), ("2020-02", (2020, 2, 29)), ("2019-12", (2019, 12, 31))],
)
def test_the_last_day_a_partial_date_could_be(typed, last):
    assert PartialDate.parse(typed).last_day == datetime.date(*last)
