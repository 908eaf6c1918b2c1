"""The data package: built from published records only, its CSV files exactly the list
exports, its JSON Lines the list's JSON records, its descriptor valid against its CSV files
(checked with frictionless, which reads the types, primary and foreign keys), written
atomically, in a number of queries that does not grow with the records."""

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from frictionless import validate

from apps.core.exports import RecordExport
from apps.opendata import package
from apps.records.registry import all_kinds, get_kind
from tests.factories import ContractFactory, DeploymentFactory

from .conftest import open_archive

pytestmark = pytest.mark.django_db

EXPORTED = [kind.key for kind in all_kinds() if kind.export]


def build():
    path, descriptor = package.build()
    return path, descriptor


def extracted(tmp_path, path):
    folder = tmp_path / "extracted"
    open_archive(path).extractall(folder)
    return folder


def csv_rows(archive, key):
    text = archive.read(f"{key}.csv").decode()
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_archive_holds_a_csv_and_a_jsonl_file_per_exported_kind_and_the_descriptor(
    data_dir, records
):
    path, descriptor = build()
    assert path.parent == data_dir
    names = set(open_archive(path).namelist())
    assert names == {"datapackage.json"} | {
        f"{key}.{ext}" for key in EXPORTED for ext in ("csv", "jsonl")
    }
    assert [resource["name"] for resource in descriptor["resources"]] == EXPORTED
    # No temporary file left beside it.
    assert [p.name for p in data_dir.iterdir()] == [path.name]


def test_the_descriptor_validates_against_its_csv_files(data_dir, records, tmp_path):
    path, _ = build()
    report = validate(extracted(tmp_path, path) / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize(
    ("file", "find", "replace"),
    [
        # A number that is not one: the schema types the amount.
        ("contracts.csv", ",400.00,", ",four hundred,"),
        # An agency that agencies.csv does not hold: the foreign key is checked.
        ("deployments.csv", "washington-county-sheriffs-office-or", "nowhere-or"),
        # A partial date in another form: the pattern is checked.
        ("contracts.csv", ",2019-02,", ",Feb 2019,"),
        # A value that is none of the field's choices.
        ("contracts.csv", ",sole-source,", ",bribery,"),
    ],
)
def test_the_validation_catches_a_cell_that_breaks_the_schema(
    data_dir, records, tmp_path, file, find, replace
):
    """The valid report above means something: the same check fails on a broken cell."""
    path, _ = build()
    folder = extracted(tmp_path, path)
    text = (folder / file).read_text()
    assert find in text
    (folder / file).write_text(text.replace(find, replace, 1))
    # The byte count would fail first: drop it to reach the cell checks.
    descriptor = json.loads((folder / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        resource.pop("bytes")
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    assert not validate(folder / "datapackage.json").valid


def test_the_schema_types_the_columns(data_dir, records, settings):
    settings.DATA_LICENSE_NAME = "CC-BY-4.0"
    settings.DATA_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
    settings.DATA_LICENSE_TITLE = "Creative Commons Attribution 4.0"
    _, descriptor = build()
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    contracts = resources["contracts"]["schema"]
    fields = {field["name"]: field for field in contracts["fields"]}
    assert [field["name"] for field in contracts["fields"]] == list(
        get_kind("contracts").export_class.columns
    )
    assert fields["id"]["type"] == "integer"
    assert fields["amount"]["type"] == "number"
    assert fields["signed_date"]["type"] == "string"
    assert fields["signed_date"]["constraints"]["pattern"] == package.PARTIAL_DATE_PATTERN
    assert fields["title"]["type"] == "string"
    assert "sole-source" in fields["procurement_method"]["constraints"]["enum"]
    assert contracts["primaryKey"] == ["id"]
    assert {
        "fields": ["agency_slug"],
        "reference": {"resource": "agencies", "fields": ["slug"]},
    } in contracts["foreignKeys"]
    oversight = {field["name"]: field for field in resources["oversight"]["schema"]["fields"]}
    assert oversight["yes_votes"]["type"] == "integer"
    assert oversight["date"]["constraints"]["pattern"] == package.PARTIAL_DATE_PATTERN
    agencies = {field["name"]: field for field in resources["agencies"]["schema"]["fields"]}
    assert agencies["latitude"]["type"] == "number"
    assert descriptor["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ]
    assert descriptor["sources"] == [{"title": settings.SITE_NAME, "path": "http://testserver/"}]
    assert descriptor["created"].endswith("+00:00")
    assert resources["contracts"]["x_records"] == 1


@pytest.mark.parametrize("key", EXPORTED)
def test_each_csv_file_is_the_list_export_byte_for_byte(client, data_dir, records, key):
    path, _ = build()
    response = client.get(reverse(f"{key}:export", args=["csv"]))
    assert open_archive(path).read(f"{key}.csv") == b"".join(response.streaming_content)


@pytest.mark.parametrize("key", EXPORTED)
def test_each_json_lines_file_holds_the_csv_rows_as_the_list_json_exports_them(
    client, data_dir, records, key
):
    path, _ = build()
    archive = open_archive(path)
    lines = [json.loads(line) for line in archive.read(f"{key}.jsonl").decode().splitlines()]
    response = client.get(reverse(f"{key}:export", args=["json"]))
    assert lines == json.loads(b"".join(response.streaming_content))["results"]
    assert [line["id"] for line in lines] == [int(row["id"]) for row in csv_rows(archive, key)]
    assert lines, f"the fixture publishes a record of {key}"


def test_the_technologies_the_deployments_name_are_in_the_archive(data_dir, records):
    path, descriptor = build()
    archive = open_archive(path)
    technologies = {row["name"]: row for row in csv_rows(archive, "technologies")}
    used = records["deployment"].technology
    # The withdrawn deployment is not counted.
    assert technologies[used.name]["slug"] == used.slug
    assert technologies[used.name]["deployment_count"] == "1"
    assert technologies[used.name]["agency_count"] == "1"
    for row in csv_rows(archive, "deployments"):
        assert row["technology"] in technologies
    fields = {
        field["name"]: field["type"]
        for resource in descriptor["resources"]
        if resource["name"] == "technologies"
        for field in resource["schema"]["fields"]
    }
    assert fields["deployment_count"] == "integer"


def test_pending_and_withdrawn_records_are_not_in_the_archive(data_dir, records):
    path, _ = build()
    archive = open_archive(path)
    contract_ids = {int(row["id"]) for row in csv_rows(archive, "contracts")}
    assert records["contract"].pk in contract_ids
    assert records["pending"].pk not in contract_ids
    deployment_ids = {int(row["id"]) for row in csv_rows(archive, "deployments")}
    assert records["deployment"].pk in deployment_ids
    assert records["withdrawn"].pk not in deployment_ids
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Pending contract" not in everything
    assert b"Withdrawn deployment" not in everything
    assert records["hidden_source"].url.encode() not in everything


def test_a_second_build_replaces_the_first_and_a_failed_one_leaves_it(
    data_dir, records, monkeypatch
):
    first, _ = build()
    first_bytes = first.read_bytes()
    added = ContractFactory(title="Added after the first build")

    def broken(self, queryset):
        raise RuntimeError("the database went away")
        yield

    monkeypatch.setattr(RecordExport, "csv_rows_and_json", broken)
    with pytest.raises(RuntimeError):
        build()
    assert first.read_bytes() == first_bytes
    assert [p.name for p in data_dir.iterdir()] == [first.name]

    monkeypatch.undo()
    second, _ = build()
    assert second == first
    ids = {int(row["id"]) for row in csv_rows(open_archive(second), "contracts")}
    assert added.pk in ids


def test_the_build_reads_in_a_number_of_queries_that_does_not_grow_with_the_records(
    data_dir, records
):
    with CaptureQueriesContext(connection) as few:
        build()
    DeploymentFactory.create_batch(3, agency=records["agency"])
    ContractFactory.create_batch(3, agency=records["agency"])
    with CaptureQueriesContext(connection) as more:
        build()
    assert len(more) == len(few)


def test_the_command_builds_the_archive_and_prints_the_counts(data_dir, records):
    out = StringIO()
    call_command("build_data_package", stdout=out, stderr=StringIO())
    assert package.archive_path().exists()
    output = out.getvalue()
    assert "contracts: 1 records" in output
    assert "deployments: 1 records" in output
    assert str(package.archive_path()) in output


def test_the_command_writes_where_it_is_told(data_dir, records, tmp_path):
    call_command("build_data_package", directory=str(tmp_path / "elsewhere"), stdout=StringIO())
    assert (tmp_path / "elsewhere" / package.archive_path().name).exists()
    assert not package.archive_path().exists()


# serialized_rollback: like every transactional test here, so that the data migrations' rows
# (technologies, groups) are back for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_build_reads_one_snapshot_on_postgresql(data_dir):
    """The command's own build (no test transaction around it): on PostgreSQL every kind is
    read in one read-only REPEATABLE READ transaction, so the files agree with each other;
    on SQLite, whose transactions here take the write lock, without one."""
    DeploymentFactory()
    with CaptureQueriesContext(connection) as queries:
        call_command("build_data_package", stdout=StringIO(), stderr=StringIO(), verbosity=2)
    snapshot = [q for q in queries if "REPEATABLE READ" in q["sql"]]
    assert len(snapshot) == (1 if connection.vendor == "postgresql" else 0)
    rows = csv_rows(open_archive(package.archive_path()), "deployments")
    assert len(rows) == 1
