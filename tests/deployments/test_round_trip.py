"""The deployments CSV export, imported into an empty database, exports to the same file."""

import datetime

import pytest
from django.core.management import call_command

from apps.agencies.models import Agency
from apps.contracts.models import Contract, Nda
from apps.deployments.models import Deployment
from apps.sources.models import Source
from apps.vendors.models import Product, Vendor
from tests.factories import (
    AgencyFactory,
    DeploymentFactory,
    ProductFactory,
    SourceFactory,
    VendorFactory,
    technology,
)

pytestmark = pytest.mark.django_db

# Imports are attributed to a user (the `reviewer` fixture of tests/conftest.py): a
# reviewer's import publishes, so what it imports is exported again.


def export_csv(client, query=""):
    response = client.get(f"/deployments/export.csv?{query}")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def empty_the_registry():
    for model in (Contract, Nda, Deployment, Product, Vendor, Agency, Source):
        model.objects.all().delete()


def test_export_imports_into_an_empty_database_and_exports_identically(client, tmp_path, reviewer):
    shared = SourceFactory(url="https://news.example.org/shared", title="Shared report")
    sheriff = AgencyFactory(
        name="Washington County Sheriff's Office",
        kind="sheriff",
        ori="OR0340000",
        locality="Hillsboro",
        latitude="45.522900",
        longitude="-122.989800",
    )
    cloud = VendorFactory(name="Cloud, Inc. “Vision”")
    DeploymentFactory(
        agency=sheriff,
        product=ProductFactory(vendor=cloud, name="Rekognition"),
        summary='Says "low cost",\nwith a line break and ünïcödé.',
        public_input="no",
        use_policy="unknown",
        sources=[SourceFactory(url="https://z.example.org/late"), shared],
    )
    DeploymentFactory(
        agency=AgencyFactory(name="Orlando Police Department", region="FL"),
        product=None,
        vendor=cloud,
        status="pilot",
        start_date=datetime.date(2017, 12, 1),
        start_date_precision="month",
        end_date=datetime.date(2018, 6, 25),
        end_date_precision="day",
        sources=[shared],
    )
    DeploymentFactory(
        technology=technology("drones"),
        product=None,
        vendor=None,
        start_date=None,
        start_date_precision="",
        status="proposed",
    )
    first = export_csv(client)
    assert first.count("\n") > 4  # header + 5 rows, one with a line break inside quotes

    path = tmp_path / "deployments.csv"
    path.write_text(first, encoding="utf-8")
    empty_the_registry()
    call_command("import_data", "deployments", str(path), user=reviewer.username)

    assert Deployment.objects.count() == 3
    assert export_csv(client) == first


def test_filtered_export_round_trips_too(client, tmp_path, reviewer):
    DeploymentFactory.create_batch(3, agency=AgencyFactory(region="OR"))
    DeploymentFactory.create_batch(2, agency=AgencyFactory(region="FL"))
    first = export_csv(client, "region=OR")
    path = tmp_path / "oregon.csv"
    path.write_text(first, encoding="utf-8")
    empty_the_registry()
    call_command("import_data", "deployments", str(path), user=reviewer.username)
    assert Deployment.objects.count() == 3
    assert export_csv(client, "region=OR") == first
