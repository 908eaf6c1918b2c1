from decimal import Decimal

import pytest

from apps.agencies.models import Agency
from apps.contracts.models import Contract, Nda
from apps.vendors.models import Product
from tests.factories import AgencyFactory, ContractFactory, ProductFactory, VendorFactory
from tests.importing.helpers import (
    contract_row,
    db_state,
    import_data,
    nda_row,
    refused,
    write_csv,
)

pytestmark = pytest.mark.django_db


def test_good_contracts_file_creates_contracts_with_their_products(tmp_path):
    existing = ProductFactory(name="Rekognition", vendor=VendorFactory(name="Amazon Web Services"))
    path = write_csv(
        tmp_path,
        [
            contract_row(),
            contract_row(
                currency="usd",
                source_url="https://news.example.org/po",
                source_title="News of the PO",
            ),
            contract_row(
                identifier="",
                title="Free trial",
                procurement_method="Free trial / no cost",
                amount="0",
                currency="",
                products="",
                country="us",
                region="or",
                signed_date="2016-11",
                start_date="",
                end_date="",
                source_url="https://records.example.org/trial",
                source_title="Trial letter",
            ),
        ],
        kind="contracts",
    )

    output = import_data("contracts", path)

    assert "Contracts: 2 created, 0 matched, 0 rows skipped (nothing new)" in output
    assert "Vendors: 0 created, 1 matched" in output
    assert "Products: 1 created, 1 matched" in output
    assert "Sources: 3 created, 0 matched, 3 citations added" in output
    subscription = Contract.objects.get(identifier="PO-2017-0042")
    assert subscription.agency.ori == "OR0340000"
    assert subscription.vendor == existing.vendor
    assert sorted(subscription.products.values_list("name", flat=True)) == ["Rekognition", "S3"]
    assert subscription.amount == Decimal("6000.00")
    assert (subscription.currency, subscription.procurement_method) == ("USD", "sole-source")
    assert (subscription.signed.iso, subscription.start.iso, subscription.end.iso) == (
        "2017-06",
        "2017-07-01",
        "2018-06-30",
    )
    assert subscription.sources.count() == 2
    trial = Contract.objects.get(title="Free trial")
    assert (trial.procurement_method, trial.amount, trial.currency) == ("free-trial", 0, "USD")
    assert trial.products.count() == 0


def test_contracts_are_matched_by_identifier_else_by_title_and_signed_date(tmp_path):
    agency = AgencyFactory(ori="OR0340000")
    vendor = VendorFactory(name="Amazon Web Services")
    by_identifier = ContractFactory(agency=agency, vendor=vendor, identifier="PO-2017-0042")
    by_title = ContractFactory(
        agency=agency,
        vendor=vendor,
        identifier="",
        title="Free trial",
        signed_date=None,
        signed_date_precision="",
    )
    path = write_csv(
        tmp_path,
        [
            contract_row(title="Another title for the same PO", products=""),
            contract_row(identifier="", title="Free trial", signed_date="", products=""),
            contract_row(identifier="", title="Free trial", signed_date="2016", products=""),
        ],
        kind="contracts",
    )

    output = import_data("contracts", path)

    assert "Contracts: 1 created, 2 matched" in output
    assert by_identifier.sources.filter(url=contract_row()["source_url"]).exists()
    assert by_title.sources.filter(url=contract_row()["source_url"]).exists()
    by_identifier.refresh_from_db()
    assert by_identifier.title != "Another title for the same PO"
    assert f"kept contract #{by_identifier.pk} as stored; the file's title, amount," in output


def test_listed_products_are_added_to_a_matched_contract(tmp_path):
    import_data("contracts", write_csv(tmp_path, [contract_row(products="S3")], kind="contracts"))
    before_second = Contract.objects.get().products.count()

    output = import_data(
        "contracts",
        write_csv(tmp_path, [contract_row(products="S3; Rekognition")], kind="contracts"),
    )

    assert before_second == 1
    assert "Contracts: 0 created, 1 matched, 0 rows skipped" in output
    assert Contract.objects.get().products.count() == 2


def test_contracts_reimport_creates_nothing(tmp_path):
    path = write_csv(tmp_path, [contract_row(), contract_row(identifier="PO-2")], kind="contracts")
    import_data("contracts", path)
    before = db_state()

    output = import_data("contracts", path)

    assert db_state() == before
    assert "Contracts: 0 created, 2 matched, 2 rows skipped (nothing new)" in output


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"amount": "-5"}, "amount: Ensure this value is greater than or equal to 0."),
        ({"amount": "$6,000"}, "amount: “$6,000” is not a number"),
        ({"amount": "12.345"}, "amount: Ensure that there are no more than 2 decimal places."),
        ({"currency": "DOLLARS"}, "currency: Ensure this value has at most 3 characters"),
        ({"currency": "XYZ"}, "currency: “XYZ” is not an ISO 4217 currency code"),
        ({"procurement_method": "bid"}, "procurement_method: “bid” is not an accepted value"),
        ({"title": ""}, "title: this column must not be empty."),
        ({"vendor": ""}, "vendor: this column must not be empty."),
        ({"end_date": "2017-06-30"}, "end_date: 2017-06-30 is before the start_date 2017-07-01."),
        ({"signed_date": "June 2017"}, "signed_date: “June 2017” is not a date"),
        ({"products": "S3;" + "x" * 201}, "products: Ensure this value has at most 200 characters"),
    ],
)
def test_bad_contract_rows_are_refused_with_their_line(tmp_path, cells, message):
    path = write_csv(tmp_path, [contract_row(), contract_row(**cells)], kind="contracts")

    error = refused("contracts", path)

    assert f"line 3: {message}" in error
    assert "line 2" not in error


def test_good_ndas_file_with_a_vendor_and_an_agency_as_counterparty(tmp_path):
    path = write_csv(
        tmp_path,
        [
            nda_row(),
            # The counterparty is named before its own row, which describes it in full.
            nda_row(
                agency="Hillsboro Police Department",
                agency_kind="police",
                agency_ori="",
                counterparty_vendor="",
                counterparty_agency="Federal Bureau of Investigation",
                counterparty_agency_region="",
                signed_date="2015",
                cited_to_withhold="Unknown",
                source_url="https://records.example.org/fbi-nda",
                source_title="FBI NDA",
            ),
            nda_row(
                agency="Federal Bureau of Investigation",
                agency_kind="federal",
                region="",
                locality="",
                agency_ori="DCFBIWA00",
                counterparty_vendor="Harris Corporation",
                signed_date="2012",
                source_url="https://records.example.org/harris-nda",
                source_title="Harris NDA",
            ),
        ],
        kind="ndas",
    )

    output = import_data("ndas", path)

    assert "NDAs: 3 created, 0 matched, 0 rows skipped (nothing new)" in output
    assert "Agencies: 3 created, 0 matched" in output
    assert "Vendors: 2 created, 0 matched" in output
    fbi = Agency.objects.get(name="Federal Bureau of Investigation")
    assert (fbi.kind, fbi.ori) == ("federal", "DCFBIWA00")
    hillsboro = Nda.objects.get(agency__name="Hillsboro Police Department")
    assert hillsboro.counterparty == fbi
    assert (hillsboro.signed.iso, hillsboro.cited_to_withhold) == ("2015", "unknown")
    sheriff = Nda.objects.get(agency__ori="OR0340000")
    assert sheriff.counterparty_vendor.name == "Amazon Web Services"
    assert (sheriff.signatory, sheriff.term, sheriff.cited_to_withhold) == (
        "Sheriff",
        "indefinite",
        "yes",
    )

    before = db_state()
    assert "NDAs: 0 created, 3 matched" in import_data("ndas", path)
    assert db_state() == before


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            {"counterparty_agency": "FBI"},
            "counterparty_vendor: give exactly one counterparty: counterparty_vendor or "
            "counterparty_agency.",
        ),
        ({"counterparty_vendor": ""}, "counterparty_vendor: give exactly one counterparty"),
        (
            {"counterparty_agency_region": "WA"},
            "counterparty_agency_region: is given without a counterparty_agency.",
        ),
        (
            {
                "counterparty_vendor": "",
                "counterparty_agency": "FBI",
                "counterparty_agency_region": "ZZ",
            },
            "counterparty_agency_region: No region of United States has the code “ZZ”",
        ),
        ({"cited_to_withhold": "sometimes"}, "cited_to_withhold: “sometimes” is not an accepted"),
        ({"signed_date": "2017-02-30"}, "signed_date: “2017-02-30” is not a real date"),
        ({"term": "x" * 201}, "term: Ensure this value has at most 200 characters"),
        (
            # Only the model knows that an agency cannot sign an NDA with itself.
            {
                "counterparty_vendor": "",
                "counterparty_agency": "Washington County Sheriff's Office",
                "counterparty_agency_region": "OR",
            },
            "counterparty_agency: An agency cannot sign an NDA with itself.",
        ),
    ],
)
def test_bad_nda_rows_are_refused_with_their_line(tmp_path, cells, message):
    path = write_csv(tmp_path, [nda_row(), nda_row(**cells)], kind="ndas")

    error = refused("ndas", path)

    assert f"line 3: {message}" in error
    assert "line 2" not in error


def test_a_contract_file_is_not_a_deployment_file(tmp_path):
    path = write_csv(tmp_path, [contract_row()], kind="contracts")

    error = refused("deployments", path)

    assert "unknown columns: vendor" not in error
    assert "unknown columns: products, title, identifier" in error
    assert not Product.objects.exists()
