"""The CSV export re-imports: export, import into an empty database, export again: the
same file. Also the export's shape (one row per source) and its flat query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.agencies.models import Agency
from apps.contracts import csv_format as contract_format
from apps.contracts import nda_csv_format
from apps.contracts.models import Contract, Nda
from apps.deployments import csv_format as deployment_format
from apps.deployments.models import Deployment
from apps.sources.models import Source
from apps.technologies.models import Technology
from apps.vendors.models import Product, Vendor
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
from tests.imports.helpers import csv_text, import_data

pytestmark = pytest.mark.django_db

SUMMARY = 'Uses "Rekognition", compares photos;\n300,000 booking photos — ünïcode.'


def ordered(model):
    # The list pages' order, with the id last so that ties keep the order they were made in.
    return model.objects.order_by(*model._meta.ordering, "pk")


def export(module, model):
    return csv_text(module.rows(ordered(model)), columns=module.COLUMNS)


def empty_the_registry():
    """Delete every record but the seeded technologies, in an order PROTECT allows."""
    for model in (Contract, Nda, Deployment, Product, Vendor, Agency, Source):
        model.objects.all().delete()
    assert Technology.objects.count() == 15


def assert_round_trip(tmp_path, *, kind, module, model):
    first = export(module, model)
    empty_the_registry()
    path = tmp_path / f"{kind}.csv"
    path.write_text(first, encoding="utf-8")

    import_data(kind, path)

    assert export(module, model) == first
    return first


@pytest.fixture
def agencies():
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


def test_deployments_round_trip(tmp_path, agencies):
    first_source, shared_source, third_source = SourceFactory(), SourceFactory(), SourceFactory()
    undated = SourceFactory(published_date=None, published_date_precision="", publisher="")
    rekognition = DeploymentFactory(
        agency=agencies["sheriff"], summary=SUMMARY, sources=[first_source, shared_source]
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

    exported = assert_round_trip(
        tmp_path, kind="deployments", module=deployment_format, model=Deployment
    )

    assert len(exported.splitlines()) > 7  # one row per source, a summary over two lines
    assert "45.522894,-122.989827" in exported


def test_contracts_round_trip(tmp_path, agencies):
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

    exported = assert_round_trip(tmp_path, kind="contracts", module=contract_format, model=Contract)

    assert "Rekognition; S3" in exported
    assert ",12000.00,USD," in exported


def test_ndas_round_trip(tmp_path, agencies):
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

    exported = assert_round_trip(tmp_path, kind="ndas", module=nda_csv_format, model=Nda)

    assert Agency.objects.get(ori="DCFBIWA00").kind == "federal"
    assert Agency.objects.filter(name="Federal Bureau of Investigation").count() == 1
    assert ",Federal Bureau of Investigation,," in exported


def test_export_writes_one_row_per_source_in_source_order_and_one_for_no_source():
    agency = AgencyFactory(name="Example PD", ori="")
    cited = DeploymentFactory(agency=agency, start_date=datetime.date(2018, 1, 1))
    later, earlier = SourceFactory(), SourceFactory()
    cited.sources.set([earlier, later])
    DeploymentFactory(agency=agency, start_date=datetime.date(2017, 1, 1), sources=[])

    rows = list(deployment_format.rows(ordered(Deployment)))

    url = deployment_format.COLUMNS.index("source_url")
    assert [row[url] for row in rows] == [later.url, earlier.url, ""]
    assert rows[-1][-4:] == ["", "", "", ""]
    assert all(len(row) == len(deployment_format.COLUMNS) for row in rows)
    assert all(isinstance(cell, str) for row in rows for cell in row)
    assert rows[0][: deployment_format.COLUMNS.index("technology") + 1] == [
        "Example PD",
        "police",
        "US",
        "OR",
        agency.locality,
        "",
        "",
        "",
        "Face Recognition",
    ]


@pytest.mark.parametrize(
    ("module", "factory", "model"),
    [
        (deployment_format, DeploymentFactory, Deployment),
        (contract_format, ContractFactory, Contract),
        (nda_csv_format, NdaFactory, Nda),
    ],
)
def test_export_query_count_does_not_grow_with_rows(module, factory, model):
    factory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        list(module.rows(model.objects.with_related()))
    factory.create_batch(8)
    with CaptureQueriesContext(connection) as many:
        rows = list(module.rows(model.objects.with_related()))

    assert len(rows) == 10
    assert len(many) == len(few)
