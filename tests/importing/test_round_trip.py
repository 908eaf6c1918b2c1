"""The CSV exports re-import: export, import into an empty database, export again: the
same bytes, through the views. Also the export's shape (one row per record) and its flat
query count, and the older one-row-per-source layout, which imports to the same records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.agencies.models import Agency
from apps.core.history import PINPOINTS, pinpoint
from apps.deployments import csv_format as deployment_format
from apps.deployments.models import Deployment
from apps.records import services
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    ProductFactory,
    SourceFactory,
    VendorFactory,
    technology,
)
from tests.importing.helpers import (
    assert_round_trip,
    csv_rows,
    csv_text,
    deployment_row,
    empty_the_registry,
    export,
    import_data,
)

pytestmark = pytest.mark.django_db

SUMMARY = 'Uses "Rekognition", compares photos;\n300,000 booking photos — ünïcode.'


@pytest.fixture
def agencies():
    empty_the_registry()  # ids from 1, as in the database the import goes into
    return {
        "sheriff": AgencyFactory(
            name="Washington County Sheriff's Office",
            kind="sheriff",
            locality="Hillsboro",
            ori="OR0340000",
            latitude="45.522894",
            longitude="-122.989827",
        ),
        "orlando": AgencyFactory(name="Orlando Police Department", region="FL", locality="Orlando"),
        "toronto": AgencyFactory(
            name="Toronto Police Service", country="CA", region="ON", locality="Toronto"
        ),
    }


def test_deployments_round_trip(client, tmp_path, agencies):
    first_source, shared_source, third_source = SourceFactory(), SourceFactory(), SourceFactory()
    undated = SourceFactory(publication_date=None, publication_date_precision="", publisher="")
    rekognition = DeploymentFactory(
        agency=agencies["sheriff"], summary=SUMMARY, sources=[first_source, shared_source]
    )
    # A citation with its page and a quote holding the cells' separator and quote marks.
    services.record_save(
        record=rekognition,
        user=None,
        summary="Pinpointed",
        links={
            "sources": [first_source, shared_source],
            PINPOINTS: {str(shared_source.pk): pinpoint(14, 'Terms | "confidential"')},
        },
    )
    DeploymentFactory(
        agency=agencies["sheriff"],
        technology=technology("body-worn-cameras"),
        product=None,
        vendor=VendorFactory(name="Axon"),
        status="discontinued",
        start_date=datetime.date(2016, 5, 1),
        start_date_precision="month",
        end_date=datetime.date(2019, 2, 14),
        end_date_precision="day",
        public_input="yes",
        use_policy="no",
        sources=[shared_source, third_source],
    )
    DeploymentFactory(
        agency=agencies["orlando"],
        technology=technology("automated-license-plate-readers"),
        product=None,
        vendor=None,
        status="proposed",
        start_date=None,
        start_date_precision="",
        summary="",
        sources=[undated],
    )
    DeploymentFactory(
        agency=agencies["toronto"],
        product=rekognition.product,
        status="suspended",
        start_date=datetime.date(2018, 3, 9),
        start_date_precision="day",
    )
    DeploymentFactory(
        agency=agencies["sheriff"],
        product=rekognition.product,
        start_date=datetime.date(2019, 1, 1),
        start_date_precision="year",
    )

    exported = assert_round_trip(client, tmp_path, "deployments")["deployments"]

    assert len(csv_rows(exported)) == 5  # one row per deployment, whatever its sources
    pinpointed = Deployment.objects.get(summary=SUMMARY).citations.get(
        source__url=shared_source.url
    )
    assert (pinpointed.page, pinpointed.quote) == (14, 'Terms | "confidential"')
    assert "45.522894,-122.989827" in exported


def test_contracts_round_trip(client, tmp_path, agencies):
    aws = VendorFactory(name="Amazon Web Services")
    rekognition = ProductFactory(vendor=aws, name="Rekognition")
    storage = ProductFactory(vendor=aws, name="S3")
    subscription = ContractFactory(
        agency=agencies["sheriff"],
        vendor=aws,
        start_date=datetime.date(2017, 7, 1),
        start_date_precision="day",
        end_date=datetime.date(2018, 6, 30),
        end_date_precision="day",
        funding_source="General fund",
        summary=SUMMARY,
        sources=[SourceFactory(), SourceFactory()],
    )
    subscription.products.set([storage, rekognition])
    ContractFactory(
        agency=agencies["orlando"],
        vendor=aws,
        identifier="",
        title="Free trial",
        procurement_method="free-trial",
        amount=None,
        signed_date=datetime.date(2016, 1, 1),
        signed_date_precision="year",
    )
    ContractFactory(
        agency=agencies["toronto"], vendor=VendorFactory(), amount="1234567.89", currency="CAD"
    )

    exported = assert_round_trip(client, tmp_path, "contracts")["contracts"]

    assert "Rekognition; S3" in exported
    assert ",12000.00,USD," in exported


def test_ndas_round_trip(client, tmp_path, agencies):
    fbi = AgencyFactory(
        name="Federal Bureau of Investigation",
        kind="federal",
        region="",
        locality="",
        ori="DCFBIWA00",
    )
    NdaFactory(agency=agencies["sheriff"], counterparty_vendor=VendorFactory(name="AWS"))
    # Listed before the FBI's own NDA (older), which describes the FBI in full.
    NdaFactory(
        agency=agencies["orlando"],
        counterparty_vendor=None,
        counterparty_agency=fbi,
        signed_date=datetime.date(2015, 1, 1),
        signed_date_precision="year",
        term="",
        scope=SUMMARY,
        cited_to_withhold="unknown",
    )
    NdaFactory(
        agency=fbi,
        counterparty_vendor=VendorFactory(name="Harris Corporation"),
        signed_date=datetime.date(2012, 1, 1),
        signed_date_precision="year",
        sources=[SourceFactory(), SourceFactory()],
    )

    exported = assert_round_trip(client, tmp_path, "ndas")["ndas"]

    assert Agency.objects.get(ori="DCFBIWA00").kind == "federal"
    assert Agency.objects.filter(name="Federal Bureau of Investigation").count() == 1
    assert ",Federal Bureau of Investigation,," in exported


def test_export_writes_one_row_per_record_with_its_sources_in_list_cells(client):
    """The issue's case: 4 Oregon face-recognition deployments with 7 sources were 7 rows."""
    agency = AgencyFactory(name="Example PD", ori="")
    sources = SourceFactory.create_batch(7)
    for index, cited in enumerate([sources[:3], sources[3:5], sources[5:6], sources[6:]]):
        DeploymentFactory(
            agency=agency, start_date=datetime.date(2015 + index, 1, 1), sources=cited
        )
    DeploymentFactory(agency=AgencyFactory(region="WA"))
    uncited = DeploymentFactory(agency=agency, technology=technology("drones"), sources=[])

    page = client.get("/deployments/", {"region": "OR", "technology": "face-recognition"})
    exported = csv_rows(export(client, "deployments", "region=OR&technology=face-recognition"))

    assert len(exported) == page.context["paginator"].count == 4
    first = exported[-1]  # the oldest: 2015, with the first three sources
    assert first["source_urls"].split(" | ") == sorted(source.url for source in sources[:3])
    assert first["source_titles"].split(" | ") == [
        source.title for source in sorted(sources[:3], key=lambda source: source.url)
    ]
    assert first["source_dates"] == "2018-05-22 | 2018-05-22 | 2018-05-22"
    assert list(first)[:3] == ["id", "url", "agency"]
    drones = csv_rows(export(client, "deployments", "technology=drones"))
    assert [row["id"] for row in drones] == [str(uncited.pk)]
    assert drones[0]["source_urls"] == drones[0]["source_titles"] == ""


def test_the_row_per_source_layout_imports_the_same_records(client, tmp_path):
    """Volunteers' spreadsheets (one row per source) and the export (one row per record) are
    told apart by the header and give the same records."""
    second_source = {
        "source_url": "https://records.example.org/wcso-emails",
        "source_title": "Rekognition emails",
        "source_publisher": "",
        "source_date": "",
    }
    per_source = tmp_path / "per-source.csv"
    per_source.write_text(
        csv_text(
            [deployment_row(), deployment_row(**second_source)],
            columns=deployment_format.ROW_PER_SOURCE_COLUMNS,
        )
    )
    empty_the_registry()
    import_data("deployments", per_source)
    from_rows = export(client, "deployments")

    empty_the_registry()
    per_record = tmp_path / "per-record.csv"
    per_record.write_text(from_rows)
    import_data("deployments", per_record)

    assert export(client, "deployments") == from_rows
    deployment = Deployment.objects.get()
    assert deployment.sources.count() == 2
    row = csv_rows(from_rows)[0]
    assert row["source_urls"] == (
        "https://news.example.org/wcso-rekognition | https://records.example.org/wcso-emails"
    )
    assert row["source_publishers"] == "Example News | "


@pytest.mark.parametrize(
    ("kind", "factory"),
    [
        ("deployments", DeploymentFactory),
        ("contracts", ContractFactory),
        ("ndas", NdaFactory),
        ("agencies", AgencyFactory),
        ("vendors", VendorFactory),
        ("products", ProductFactory),
        ("sources", SourceFactory),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_query_count_does_not_grow_with_csv_rows(client, kind, factory, fmt):
    def read():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/{kind}/export.{fmt}")
            b"".join(response.streaming_content)
        return len(queries)

    factory.create_batch(2)
    few = read()
    factory.create_batch(8)
    assert read() == few


def test_deployment_export_query_count_is_pinned(client, django_assert_num_queries):
    DeploymentFactory.create_batch(3)
    # The deployments, then per chunk of 1000: their sources, contracts and the covering NDAs;
    # on PostgreSQL the planner's estimate of the rows (which chooses the plan that starts
    # soonest or ends soonest), the query's settings, then the one query that writes the
    # lines (apps/core/export_sql.py). tests/core/test_export_streaming.py: per chunk, not
    # per row.
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 4):
        response = client.get("/deployments/export.csv")
        b"".join(response.streaming_content)
