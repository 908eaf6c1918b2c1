"""What is refused or accepted about the file as a whole: encoding, CSV syntax, header."""

import pytest
from django.conf import settings

from apps.deployments import csv_format as deployment_format
from apps.deployments.models import Deployment
from tests.importing.helpers import (
    COLUMNS,
    csv_text,
    db_state,
    deployment_row,
    empty_the_registry,
    export,
    import_data,
    refused,
    write_csv,
)

pytestmark = pytest.mark.django_db


def test_unknown_and_missing_columns_are_one_error_for_the_file(tmp_path):
    columns = ["agency", "technology", "vendor_name", "notes"]
    path = write_csv(tmp_path, [["A", "Drones", "X", "Y"]], kind="deployments", columns=columns)

    error = refused("deployments", path)

    assert error.splitlines() == [
        "Refused import.csv: unknown columns: vendor_name, notes; missing required columns: "
        "source_url. The header row (line 1) may have these columns, in any order: "
        + ", ".join(COLUMNS["deployments"])
        + " (required: agency, technology, source_url). This header is read as one row per "
        "source (source_url). For one row per record, its sources in list cells "
        "(source_urls), the columns are: " + ", ".join(deployment_format.COLUMNS) + "."
    ]


def test_a_repeated_column_is_refused(tmp_path):
    columns = ["agency", "technology", "source_url", "Agency"]
    path = write_csv(
        tmp_path,
        [["A", "Drones", "https://a.example.org", "B"]],
        kind="deployments",
        columns=columns,
    )

    assert "repeated columns: agency" in refused("deployments", path)


def test_optional_columns_may_be_left_out_and_names_are_case_insensitive(tmp_path):
    columns = ["Agency", " Technology ", "SOURCE_URL", "source_title"]
    path = write_csv(
        tmp_path,
        [["Example PD", "drones", "https://a.example.org/x", "A story"]],
        kind="deployments",
        columns=columns,
    )

    import_data("deployments", path)

    deployment = Deployment.objects.get()
    assert (deployment.agency.name, deployment.agency.country, deployment.agency.kind) == (
        "Example PD",
        "US",
        "other",
    )
    assert (deployment.status, deployment.vendor, deployment.start) == ("active", None, None)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    text = csv_text([deployment_row(agency="Bogotá Police")], columns=COLUMNS["deployments"])
    path.write_bytes(text.encode("latin-1"))

    error = refused("deployments", path)

    assert error == (
        "Refused latin1.csv: it is not UTF-8 text (line 2 has a byte that is not UTF-8). "
        "Save the spreadsheet as “CSV UTF-8” and try again."
    )


def test_a_spreadsheet_file_is_refused(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_bytes(b"agency,technology,source_url\nA\x00,Drones,https://a.example.org\n")

    assert "it contains NUL characters" in refused("deployments", path)


def test_a_stray_quote_is_refused_with_its_line(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text(
        'agency,technology,source_url\nA,Drones,https://a.example.org\n"B"x,Drones,https://b.example.org\n',
        encoding="utf-8",
    )

    error = refused("deployments", path)

    assert error.startswith("Refused quote.csv: line 3 is not valid CSV")


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("\n\n", encoding="utf-8")

    assert refused("deployments", path) == (
        "Refused empty.csv: the file is empty; it needs a header row."
    )


def test_a_missing_file_is_refused(tmp_path):
    assert "Cannot read" in refused("deployments", tmp_path / "nowhere.csv")


def test_bom_whitespace_blank_lines_and_short_rows_are_accepted(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        (
            "\ufeffagency , technology,source_url,source_title,status,start_date\r\n"
            "\r\n"
            "  Example PD ,  Drones , https://a.example.org/x ,  A story , Pilot / Trial ,2019\r\n"
            ",,,,,\r\n"
            "Example PD,Drones,https://a.example.org/y,Another story\r\n"
        ).encode()
    )

    output = import_data("deployments", path)

    assert "Imported excel.csv: 2 rows." in output
    assert "Blank lines ignored: 2." in output
    first, second = Deployment.objects.order_by("pk")
    assert (first.agency.name, first.status, first.start.iso) == ("Example PD", "pilot", "2019")
    assert (second.status, second.start) == ("active", None)
    assert first.agency == second.agency


def test_line_numbers_count_the_lines_of_multi_line_cells(tmp_path):
    path = write_csv(
        tmp_path,
        [
            deployment_row(summary="A summary\nover\nthree lines."),
            deployment_row(status="on"),
        ],
        kind="deployments",
    )

    error = refused("deployments", path)

    assert "line 5: status:" in error


def test_a_row_with_more_cells_than_the_header_is_a_bad_row(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text(
        "agency,technology,source_url,source_title\n"
        "A,Drones,https://a.example.org,Story,Portland, OR\n",
        encoding="utf-8",
    )

    error = refused("deployments", path)

    assert "line 2: the row has 2 more cells than the header has columns" in error


# In the order a database is rebuilt from its exports (docs/import.md).
EXAMPLE_KINDS = (
    "deployments",
    "contracts",
    "ndas",
    "response-deadlines",
    "records-requests",
    "oversight",
)


def test_the_example_files_import_cleanly_and_only_once():
    examples = settings.BASE_DIR / "examples"
    for kind in EXAMPLE_KINDS:
        assert "Notes" not in import_data(kind, examples / f"{kind}.csv")
    before = db_state()

    for kind in EXAMPLE_KINDS:
        assert " 0 created" in import_data(kind, examples / f"{kind}.csv")

    assert db_state() == before


def test_the_example_in_the_exports_layout_is_what_the_site_exports(client):
    """examples/deployments-export.csv is the export of examples/deployments.csv imported
    into an empty database; imported in turn, it exports to the same bytes."""
    examples = settings.BASE_DIR / "examples"
    expected = (examples / "deployments-export.csv").read_bytes().decode()
    empty_the_registry()
    import_data("deployments", examples / "deployments.csv")
    assert export(client, "deployments") == expected

    empty_the_registry()
    assert "Notes" not in import_data("deployments", examples / "deployments-export.csv")
    assert export(client, "deployments") == expected
