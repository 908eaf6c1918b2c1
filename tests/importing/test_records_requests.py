"""`import_data records-requests`: the export's layout only, NDAs cited by id, released
documents among the row's sources; all or nothing, matched on re-import, attributed."""

import datetime

import pytest

from apps.contracts.models import Nda
from apps.core.models import Visibility
from apps.records.models import ChangeRequest
from apps.records_requests.models import RecordsRequest
from tests.factories import AgencyFactory, NdaFactory, RecordsRequestFactory, SourceFactory
from tests.importing.helpers import (
    assert_round_trip,
    csv_rows,
    db_state,
    empty_the_registry,
    import_data,
    nda_row,
    records_request_row,
    refused,
    volunteer,
    write_csv,
)
from tests.records.test_check_records import check_records

pytestmark = pytest.mark.django_db

KIND = "records-requests"


@pytest.fixture
def sheriff():
    return AgencyFactory(
        name="Washington County Sheriff's Office", kind="sheriff", region="OR", ori="OR0340000"
    )


def test_good_file_creates_requests_with_their_ndas_and_released_documents(tmp_path, sheriff):
    nda = NdaFactory(agency=sheriff)
    path = write_csv(
        tmp_path,
        [
            records_request_row(nda_ids=str(nda.pk)),
            records_request_row(
                agency="Hillsboro Police Department",
                agency_kind="Police department",
                agency_ori="",
                subject="Cell-site simulator records",
                filed_date="2020",
                closed_date="",
                status="Processing",
                exemptions="",
                outcome="",
                external_url="",
                released_document_urls="",
                source_urls="https://muckrock.example.org/hillsboro-css",
                source_titles="Hillsboro cell-site simulator request",
                source_publishers="",
                source_dates="",
            ),
        ],
        kind=KIND,
    )

    output = import_data(KIND, path)

    assert "Records requests: 2 created, 0 matched, 0 rows skipped (nothing new)" in output
    assert "Agencies: 1 created, 1 matched" in output
    assert "Sources: 3 created, 0 matched, 3 citations added" in output
    filed = RecordsRequest.objects.get(agency=sheriff)
    assert (filed.filed.iso, filed.closed.iso, filed.status) == (
        "2019-03-04",
        "2019-06",
        "partially-fulfilled",
    )
    assert list(filed.ndas_cited.all()) == [nda]
    assert [source.url for source in filed.released_documents.all()] == [
        "https://records.example.org/wcso-po-2017-0042"
    ]
    assert filed.sources.count() == 2
    assert filed.visibility == Visibility.PUBLISHED
    other = RecordsRequest.objects.get(agency__name="Hillsboro Police Department")
    assert (other.filed.iso, other.status, other.closed) == ("2020", "processing", None)
    check_records()


def test_a_volunteers_import_waits_for_review(tmp_path, sheriff):
    vera = volunteer()
    path = write_csv(tmp_path, [records_request_row()], kind=KIND)

    output = import_data(KIND, path, user=vera)

    assert "Waiting for review: 1 new record in the review queue" in output
    request = RecordsRequest.objects.get()
    assert request.visibility == Visibility.PENDING
    change = ChangeRequest.objects.pending().get(author=vera)
    assert change.record == request
    assert set(request.sources.values_list("visibility", flat=True)) == {Visibility.PENDING}
    check_records()


def test_reimport_creates_nothing(tmp_path, sheriff):
    nda = NdaFactory(agency=sheriff)
    path = write_csv(
        tmp_path,
        [
            records_request_row(id="7", nda_ids=str(nda.pk)),
            # The same natural key with another id: another request, matched again as itself.
            records_request_row(id="8", requester="Another requester"),
        ],
        kind=KIND,
    )
    import_data(KIND, path)
    assert RecordsRequest.objects.count() == 2
    before = db_state()

    output = import_data(KIND, path)

    assert db_state() == before
    assert "Records requests: 0 created, 2 matched, 2 rows skipped (nothing new)" in output


def test_a_request_is_matched_on_agency_subject_and_filed_date(tmp_path, sheriff):
    existing = RecordsRequestFactory(
        agency=sheriff,
        subject="Face recognition contracts and NDAs",
        filed_date=datetime.date(2019, 3, 4),
        status="processing",
    )
    path = write_csv(
        tmp_path,
        [
            records_request_row(),
            # The same day known only to the month is another request.
            records_request_row(filed_date="2019-03"),
        ],
        kind=KIND,
    )

    output = import_data(KIND, path)

    assert "Records requests: 1 created, 1 matched" in output
    assert f"kept records request #{existing.pk} as stored; the file's closed_date" in output
    existing.refresh_from_db()
    assert existing.status == "processing"  # an import never overwrites
    assert existing.sources.count() == 3  # its own and the row's two
    assert existing.released_documents.count() == 1


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"status": "waiting"}, "status: “waiting” is not an accepted value"),
        ({"filed_date": "March 2019"}, "filed_date: “March 2019” is not a date"),
        ({"closed_date": "2019-02"}, "closed_date: 2019-02 is before the filed_date 2019-03-04."),
        ({"subject": ""}, "subject: this column must not be empty."),
        ({"requester": ""}, "requester: this column must not be empty."),
        ({"external_url": "muckrock"}, "external_url: Enter a valid URL."),
        ({"nda_ids": "one"}, "nda_ids: “one” is not a record id"),
        ({"nda_ids": "999"}, "nda_ids: no NDA this import may link has the id #999 here."),
        (
            {"released_document_urls": "https://elsewhere.example.org/doc"},
            "released_document_urls: https://elsewhere.example.org/doc is not among the row's "
            "source_urls",
        ),
        (
            {"status": "processing"},
            "closed_date: A request that is processing is still open: give a closed date only "
            "with a final status",
        ),
        ({"source_urls": ""}, "source_urls: this column must not be empty"),
    ],
)
def test_bad_rows_are_refused_with_their_line(tmp_path, sheriff, cells, message):
    path = write_csv(
        tmp_path,
        [records_request_row(), records_request_row(**{"subject": "Another subject", **cells})],
        kind=KIND,
    )

    error = refused(KIND, path)

    assert f"line 3: {message}" in error
    assert "line 2" not in error


@pytest.mark.parametrize("visibility", [Visibility.WITHDRAWN, Visibility.PENDING])
def test_an_nda_the_import_may_not_link_is_refused_like_an_unknown_id(
    tmp_path, sheriff, visibility
):
    hidden = NdaFactory(agency=sheriff, visibility=visibility)
    path = write_csv(tmp_path, [records_request_row(nda_ids=str(hidden.pk))], kind=KIND)

    error = refused(KIND, path)

    assert f"line 2: nda_ids: no NDA this import may link has the id #{hidden.pk} here" in error


def test_an_nda_of_another_agency_is_refused_as_the_form_refuses_it(tmp_path, sheriff):
    """A request is refused under an NDA its agency signed or is the other party to, never
    under another agency's: the import asks the same rule as the site's form."""
    elsewhere = NdaFactory(agency=AgencyFactory(name="Another Police Department"))
    path = write_csv(tmp_path, [records_request_row(nda_ids=str(elsewhere.pk))], kind=KIND)

    error = refused(KIND, path)

    assert f"line 2: nda_ids: NDA #{elsewhere.pk} ({elsewhere}) does not bind" in error
    assert not RecordsRequest.objects.exists()


def test_a_volunteer_may_cite_the_pending_nda_they_imported(tmp_path, sheriff):
    vera = volunteer()
    import_data("ndas", write_csv(tmp_path, [nda_row()], kind="ndas", name="ndas.csv"), user=vera)
    theirs = Nda.objects.get()
    assert theirs.visibility == Visibility.PENDING
    path = write_csv(tmp_path, [records_request_row(nda_ids=str(theirs.pk))], kind=KIND)

    import_data(KIND, path, user=vera)

    assert list(RecordsRequest.objects.get().ndas_cited.all()) == [theirs]


def test_a_header_without_source_urls_is_refused_naming_the_exports_columns(tmp_path):
    path = tmp_path / "requests.csv"
    path.write_text("agency,requester,subject,source_url\n", encoding="utf-8")

    error = refused(KIND, path)

    assert "unknown columns: source_url; missing required columns: source_urls" in error
    assert "one row per source" not in error


def test_export_import_export_round_trip(client, tmp_path):
    """With the NDAs they cite imported first (their ids kept), into an empty database."""
    empty_the_registry()
    sheriff = AgencyFactory(
        name="Washington County Sheriff's Office", kind="sheriff", region="OR", ori="OR0340000"
    )
    toronto = AgencyFactory(
        name="Toronto Police Service", country="CA", region="ON", locality="Toronto"
    )
    NdaFactory(agency=toronto)  # an NDA no request cites
    nda = NdaFactory(agency=sheriff)
    letter, contract = SourceFactory(), SourceFactory()
    answered = RecordsRequestFactory(
        agency=sheriff,
        closed_date=datetime.date(2019, 6, 1),
        closed_date_precision="month",
        status="partially-fulfilled",
        exemptions='RCW 42.56.270(1); "trade secrets"',
        outcome="The contract;\nnot the NDA — ünïcode, =1+1.",
        external_url="https://muckrock.example.org/wcso",
        sources=[letter, contract],
    )
    answered.ndas_cited.set([nda])
    answered.released_documents.set([contract])
    # The same agency, subject and filed date: another request all the same.
    RecordsRequestFactory(agency=sheriff, subject=answered.subject, requester="Another requester")
    RecordsRequestFactory(
        agency=toronto,
        filed_date=datetime.date(2021, 1, 1),
        filed_date_precision="year",
        status="submitted",
    )

    exported = assert_round_trip(client, tmp_path, "ndas", KIND)[KIND]

    rows = csv_rows(exported)
    assert len(rows) == 3
    assert [row["nda_ids"] for row in rows if row["released_document_urls"]] == [str(nda.pk)]
    check_records()
