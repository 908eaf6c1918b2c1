"""`import_data oversight`: the export's layout only, the deployments and contracts an event
concerns linked by id (of any agency); all or nothing, matched on re-import, attributed."""

import datetime

import pytest

from apps.core.models import Visibility
from apps.oversight.models import OversightEvent
from apps.records.models import ChangeRequest
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    OversightEventFactory,
    SourceFactory,
)
from tests.importing.helpers import (
    assert_round_trip,
    csv_rows,
    db_state,
    empty_the_registry,
    import_data,
    oversight_row,
    refused,
    volunteer,
    write_csv,
)
from tests.records.test_check_records import check_records

pytestmark = pytest.mark.django_db

KIND = "oversight"


@pytest.fixture
def sheriff():
    return AgencyFactory(
        name="Washington County Sheriff's Office", kind="sheriff", region="OR", ori="OR0340000"
    )


def test_good_file_creates_events_with_what_they_concern(tmp_path, sheriff):
    deployment = DeploymentFactory(agency=sheriff)
    # Of another agency: an event concerns records of any agency.
    contract = ContractFactory()
    path = write_csv(
        tmp_path,
        [
            oversight_row(deployment_ids=str(deployment.pk), contract_ids=str(contract.pk)),
            oversight_row(
                kind="No public process found",
                agency="Hillsboro Police Department",
                agency_kind="police",
                agency_ori="",
                date="2021-05",
                summary="Council minutes 2015-2020 searched.",
                outcome="",
                outcome_summary="",
                yes_votes="",
                no_votes="",
                absent="",
                public_comment="",
                source_urls="https://research.example.org/hillsboro",
                source_titles="Hillsboro council minutes",
                source_publishers="",
                source_dates="",
            ),
        ],
        kind=KIND,
    )

    output = import_data(KIND, path)

    assert "Oversight events: 2 created, 0 matched, 0 rows skipped (nothing new)" in output
    assert "Agencies: 1 created, 1 matched" in output
    vote = OversightEvent.objects.get(agency=sheriff)
    assert (vote.kind, vote.occurred.iso, vote.outcome) == ("vote", "2018-03-05", "approved")
    assert (vote.yes_votes, vote.no_votes, vote.abstentions, vote.absent) == (5, 2, None, 0)
    assert vote.public_comment == "yes"
    assert list(vote.deployments.all()) == [deployment]
    assert list(vote.contracts.all()) == [contract]
    assert vote.visibility == Visibility.PUBLISHED
    finding = OversightEvent.objects.get(kind="no-public-process-found")
    assert (finding.occurred.iso, finding.outcome, finding.public_comment) == (
        "2021-05",
        "unknown",
        "unknown",
    )
    check_records()


def test_a_volunteers_import_waits_for_review(tmp_path, sheriff):
    vera = volunteer()
    path = write_csv(tmp_path, [oversight_row()], kind=KIND)

    output = import_data(KIND, path, user=vera)

    assert "Waiting for review: 1 new record in the review queue" in output
    event = OversightEvent.objects.get()
    assert event.visibility == Visibility.PENDING
    assert ChangeRequest.objects.pending().get(author=vera).record == event
    check_records()


def test_reimport_creates_nothing(tmp_path, sheriff):
    deployment = DeploymentFactory(agency=sheriff)
    path = write_csv(
        tmp_path,
        [
            oversight_row(id="3", deployment_ids=str(deployment.pk)),
            oversight_row(id="4", kind="public-hearing", yes_votes="", no_votes="", absent=""),
        ],
        kind=KIND,
    )
    import_data(KIND, path)
    before = db_state()

    output = import_data(KIND, path)

    assert db_state() == before
    assert "Oversight events: 0 created, 2 matched, 2 rows skipped (nothing new)" in output


def test_an_event_is_matched_on_agency_kind_date_and_summary(tmp_path, sheriff):
    existing = OversightEventFactory(
        agency=sheriff,
        occurred_date=datetime.date(2018, 3, 5),
        summary="The board voted on the sheriff's face recognition contract.",
        outcome="rejected",
    )
    contract = ContractFactory(agency=sheriff)
    path = write_csv(
        tmp_path,
        [
            oversight_row(contract_ids=str(contract.pk)),
            oversight_row(summary="Another vote."),
            oversight_row(kind="consent-agenda"),
        ],
        kind=KIND,
    )

    output = import_data(KIND, path)

    assert "Oversight events: 2 created, 1 matched" in output
    assert f"kept oversight event #{existing.pk} as stored; the file's outcome" in output
    existing.refresh_from_db()
    assert existing.outcome == "rejected"  # an import never overwrites
    assert list(existing.contracts.all()) == [contract]  # but adds links


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"kind": "meeting"}, "kind: “meeting” is not an accepted value"),
        ({"kind": ""}, "kind: this column must not be empty."),
        ({"outcome": "passed"}, "outcome: “passed” is not an accepted value"),
        ({"public_comment": "some"}, "public_comment: “some” is not an accepted value"),
        ({"date": "2018-02-30"}, "date: “2018-02-30” is not a real date"),
        ({"yes_votes": "five"}, "yes_votes: “five” is not a whole number"),
        ({"no_votes": "-1"}, "no_votes: “-1” is not a whole number"),
        ({"absent": "40000"}, "absent: Ensure this value is less than or equal to 32767."),
        (
            {"kind": "public-hearing"},
            "yes_votes: Only a council / board vote or a consent-agenda approval has a vote tally.",
        ),
        (
            {"kind": "no-public-process-found", "yes_votes": "", "no_votes": "", "absent": ""},
            "public_comment: A finding of no public process says nothing of public comment",
        ),
        (
            {"kind": "no-public-process-found", "date": "", "public_comment": "unknown"},
            "date: Give the date of the research that found no public process.",
        ),
        ({"deployment_ids": "999"}, "deployment_ids: no deployment this import may link has"),
        ({"contract_ids": "12; x"}, "contract_ids: “12; x” is not a record id"),
        ({"contract_ids": "998 | 999"}, "contract_ids: no contracts this import may link have"),
        (
            {"source_urls": "https://news.example.org/other", "source_titles": ""},
            "source_titles: a new source needs a title",
        ),
    ],
)
def test_bad_rows_are_refused_with_their_line(tmp_path, sheriff, cells, message):
    path = write_csv(
        tmp_path,
        [oversight_row(), oversight_row(**{"summary": "Another vote.", **cells})],
        kind=KIND,
    )

    error = refused(KIND, path)

    assert f"line 3: {message}" in error
    assert "line 2" not in error


@pytest.mark.parametrize("visibility", [Visibility.WITHDRAWN, Visibility.PENDING])
def test_a_deployment_the_import_may_not_link_is_refused_like_an_unknown_id(
    tmp_path, sheriff, visibility
):
    hidden = DeploymentFactory(agency=sheriff, visibility=visibility)
    path = write_csv(tmp_path, [oversight_row(deployment_ids=str(hidden.pk))], kind=KIND)

    error = refused(KIND, path)

    assert (
        f"line 2: deployment_ids: no deployment this import may link has the id #{hidden.pk}"
        in error
    )


def test_export_import_export_round_trip(client, tmp_path):
    """With the deployments and contracts they concern imported first (their ids kept), into
    an empty database."""
    empty_the_registry()
    sheriff = AgencyFactory(
        name="Washington County Sheriff's Office", kind="sheriff", region="OR", ori="OR0340000"
    )
    county = AgencyFactory(name="Washington County", kind="county", region="OR")
    deployment = DeploymentFactory(agency=sheriff)
    DeploymentFactory(agency=county)  # concerned by no event
    contract = ContractFactory(agency=sheriff)
    OversightEventFactory(
        agency=county,
        summary='The board voted on the sheriff\'s "Rekognition" contract;\nünïcode, =1+1.',
        abstentions=1,
        deployments=[deployment],
        contracts=[contract],
        sources=[SourceFactory(), SourceFactory()],
    )
    # The same agency, kind, date and summary: another event all the same.
    OversightEventFactory(
        agency=county,
        summary='The board voted on the sheriff\'s "Rekognition" contract;\nünïcode, =1+1.',
        outcome="rejected",
    )
    OversightEventFactory(
        agency=sheriff,
        finding=True,
        occurred_date=datetime.date(2022, 1, 1),
        occurred_date_precision="year",
        deployments=[deployment],
    )

    exported = assert_round_trip(client, tmp_path, "deployments", "contracts", KIND)[KIND]

    assert len(csv_rows(exported)) == 3
    assert f",{deployment.pk},{contract.pk}," in exported
    check_records()
