"""Writing CSV files, running the command and snapshotting the database for import tests.

Imports run as a reviewer (they publish) unless a test passes another `user`."""

import csv
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from apps.contracts import csv_format as contract_format
from apps.contracts import nda_csv_format
from apps.deployments import csv_format as deployment_format
from apps.oversight import csv_format as oversight_format
from apps.records_requests import csv_format as records_request_format
from apps.technologies.models import Technology
from tests.factories import member_of

# The files tests write by hand use the one-row-per-source layout volunteers' spreadsheets
# have; the export's one-row-per-record layout is tested in test_round_trip.py and
# test_record_layout.py.
COLUMNS = {
    "deployments": deployment_format.ROW_PER_SOURCE_COLUMNS,
    "contracts": contract_format.ROW_PER_SOURCE_COLUMNS,
    "ndas": nda_csv_format.ROW_PER_SOURCE_COLUMNS,
    # These kinds have only the export's layout, one row per record.
    "records-requests": records_request_format.COLUMNS,
    "oversight": oversight_format.COLUMNS,
    "response-deadlines": records_request_format.DEADLINE_COLUMNS,
}
# Their tables hold the records, their history versions and the change requests.
REGISTRY_APPS = {
    "agencies",
    "vendors",
    "sources",
    "deployments",
    "contracts",
    "records_requests",
    "oversight",
    "technologies",
    "records",
}


def reviewer(username="rita"):
    """The user `username` (created the first time), a reviewer."""
    return member_of("Reviewers", username=username)


def volunteer(username="vera"):
    return member_of("Volunteers", username=username)


def csv_text(rows, *, columns):
    """CSV text with a header; `rows` are dicts (absent columns empty) or lists."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [row.get(column, "") for column in columns] if isinstance(row, dict) else row
        )
    return out.getvalue()


def write_csv(tmp_path, rows, *, kind, columns=None, name="import.csv"):
    path = tmp_path / name
    path.write_text(csv_text(rows, columns=columns or COLUMNS[kind]), encoding="utf-8")
    return path


def import_data(kind, path, *, dry_run=False, user=None):
    """The command's output for an accepted file; stderr must stay empty (no progress bar).
    Recorded as `user`; by default a reviewer's import, or a dry run without a user."""
    if user is None and not dry_run:
        user = reviewer()
    options = {"user": user.username} if user is not None else {}
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "import_data", kind, str(path), dry_run=dry_run, stdout=stdout, stderr=stderr, **options
    )
    assert stderr.getvalue() == ""
    return stdout.getvalue()


def refused(kind, path, *, dry_run=False, user=None):
    """The command's error text for a refused file; the database must be unchanged."""
    if user is None and not dry_run:
        user = reviewer()
    before = db_state()
    with pytest.raises(CommandError) as excinfo:
        import_data(kind, path, dry_run=dry_run, user=user)
    assert db_state() == before
    return str(excinfo.value)


def db_state():
    """Every row of the registry's tables (many-to-many links included), to compare."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in REGISTRY_APPS
    }


# The agency every sample row is about, as the three kinds write it.
AGENCY_CELLS = {
    "agency": "Washington County Sheriff's Office",
    "agency_kind": "sheriff",
    "country": "US",
    "region": "OR",
    "locality": "Hillsboro",
    "agency_ori": "OR0340000",
}


def deployment_row(**cells):
    return {
        **AGENCY_CELLS,
        "latitude": "45.522894",
        "longitude": "-122.989827",
        "technology": "Face Recognition",
        "vendor": "Amazon Web Services",
        "product": "Rekognition",
        "status": "active",
        "start_date": "2017",
        "end_date": "",
        "summary": "Compares photos with the county's booking photos.",
        "public_input": "no",
        "use_policy": "no",
        "source_url": "https://news.example.org/wcso-rekognition",
        "source_title": "Amazon sells face recognition to police",
        "source_publisher": "Example News",
        "source_date": "2018-05-22",
        **cells,
    }


def contract_row(**cells):
    return {
        **AGENCY_CELLS,
        "vendor": "Amazon Web Services",
        "products": "Rekognition; S3",
        "title": "Rekognition subscription",
        "identifier": "PO-2017-0042",
        "procurement_method": "sole-source",
        "amount": "6000",
        "currency": "USD",
        "signed_date": "2017-06",
        "start_date": "2017-07-01",
        "end_date": "2018-06-30",
        "funding_source": "General fund",
        "summary": "A year of image analysis.",
        "source_url": "https://records.example.org/wcso-po-2017-0042",
        "source_title": "Purchase order 2017-0042",
        "source_publisher": "Washington County",
        "source_date": "2018-05",
        **cells,
    }


def nda_row(**cells):
    return {
        **AGENCY_CELLS,
        "counterparty_vendor": "Amazon Web Services",
        "counterparty_agency": "",
        "counterparty_agency_region": "",
        "signed_date": "2017-03",
        "signatory": "Sheriff",
        "scope": "Pricing and capabilities.",
        "term": "indefinite",
        "cited_to_withhold": "yes",
        "source_url": "https://records.example.org/wcso-nda",
        "source_title": "Non-disclosure agreement",
        "source_publisher": "Washington County",
        "source_date": "2018-05",
        **cells,
    }


def records_request_row(**cells):
    """A row of the export's layout (the only one records requests have)."""
    return {
        **AGENCY_CELLS,
        "requester": "Example Civil Liberties Union",
        "subject": "Face recognition contracts and NDAs",
        "filed_date": "2019-03-04",
        "closed_date": "2019-06",
        "status": "partially-fulfilled",
        "exemptions": "RCW 42.56.270(1)",
        "nda_ids": "",
        "outcome": "The contract was released; the NDA was withheld.",
        "external_url": "https://muckrock.example.org/wcso-face-recognition",
        "released_document_urls": "https://records.example.org/wcso-po-2017-0042",
        "source_urls": "https://muckrock.example.org/wcso-face-recognition/letter | "
        "https://records.example.org/wcso-po-2017-0042",
        "source_titles": "Response letter | Purchase order 2017-0042",
        "source_publishers": "MuckRock | Washington County",
        "source_dates": "2019-06 | 2017-06",
        **cells,
    }


def deadline_row(**cells):
    """A row of the export's layout (the only one response deadlines have): Oregon's."""
    return {
        "country": "US",
        "region": "OR",
        "days": "5",
        "day_kind": "business",
        "statute": "ORS 192.329",
        "notes": "An acknowledgement within 5 business days.",
        "source_urls": "https://oregon.example.gov/ors-192-329",
        "source_titles": "ORS 192.329",
        "source_publishers": "Oregon Legislature",
        "source_dates": "2019",
        **cells,
    }


def oversight_row(**cells):
    """A row of the export's layout (the only one oversight events have): a council vote."""
    return {
        "kind": "vote",
        **AGENCY_CELLS,
        "date": "2018-03-05",
        "summary": "The board voted on the sheriff's face recognition contract.",
        "outcome": "approved",
        "outcome_summary": "Approved with a use policy to follow.",
        "yes_votes": "5",
        "no_votes": "2",
        "abstentions": "",
        "absent": "0",
        "public_comment": "yes",
        "deployment_ids": "",
        "contract_ids": "",
        "source_urls": "https://news.example.org/board-vote",
        "source_titles": "Board approves face recognition",
        "source_publishers": "Example News",
        "source_dates": "2018-03-06",
        **cells,
    }


def empty_the_registry():
    """Delete every record but the seeded technologies (and the users), and number new ones
    from 1 again, as in a new database: an export imported into it in id order gets the same
    ids back. Used before a test's records are made, and again before the import."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in REGISTRY_APPS - {"technologies"}
    ]
    tables = [model._meta.db_table for model in models]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    if connection.vendor == "postgresql":
        # PostgreSQL refuses to TRUNCATE a table with foreign-key checks still deferred to
        # the end of the test's transaction: run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(statements)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert Technology.objects.count() == 15


def export(client, kind, query=""):
    """The text of a list's CSV export, read through the view as a visitor would."""
    response = client.get(f"/{kind}/export.csv?{query}")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def assert_round_trip(client, tmp_path, *kinds):
    """Export each of `kinds`, empty the registry, import the files in that order (a kind
    before the kinds that link to it by id) and export again: the same text. Returns
    {kind: the export's text}."""
    first = {kind: export(client, kind) for kind in kinds}
    empty_the_registry()
    for kind in kinds:
        path = tmp_path / f"{kind}.csv"
        path.write_text(first[kind], encoding="utf-8")
        import_data(kind, path)

    assert {kind: export(client, kind) for kind in kinds} == first
    return first
