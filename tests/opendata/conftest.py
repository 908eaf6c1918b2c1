import datetime
import io
import zipfile

import pytest

from apps.contracts.models import ProcurementMethod
from apps.core.models import Visibility
from apps.core.partial_dates import DatePrecision
from tests.factories import (
    AgencyAliasFactory,
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    ProductFactory,
    RecordsRequestFactory,
    ResponseDeadlineFactory,
    SourceFactory,
    VendorFactory,
)


@pytest.fixture
def data_dir(settings, tmp_path):
    """The archive goes to a temporary folder; links are built on the test client's host,
    so that the archive's CSV files can be compared with the list exports byte for byte."""
    settings.DATA_PACKAGE_DIR = tmp_path / "package"
    settings.SITE_URL = "http://testserver"
    return settings.DATA_PACKAGE_DIR


@pytest.fixture
def records(db):
    """A published record of every kind, linked as the registry links them, and records the
    public must not see: a pending contract, a withdrawn deployment, a pending source cited
    by a published contract."""
    sheriff = AgencyFactory(
        name="Washington County Sheriff's Office",
        region="OR",
        ori="OR0340000",
        ocd_division_id="ocd-division/country:us/state:or/county:washington",
        latitude="45.523100",
        longitude="-122.989827",
    )
    AgencyAliasFactory(agency=sheriff, name="WCSO")
    amazon = VendorFactory(name="Amazon Web Services")
    rekognition = ProductFactory(vendor=amazon, name="Rekognition")
    deployment = DeploymentFactory(agency=sheriff, product=rekognition)
    contract = ContractFactory(
        agency=sheriff,
        vendor=amazon,
        title="Rekognition subscription",
        amount="400.00",
        procurement_method=ProcurementMethod.SOLE_SOURCE,
        start_date=datetime.date(2017, 1, 1),
        start_date_precision=DatePrecision.YEAR,
        end_date=datetime.date(2019, 2, 1),
        end_date_precision=DatePrecision.MONTH,
    )
    contract.products.add(rekognition)
    contract.deployments.add(deployment)
    hidden_source = SourceFactory(
        url="https://hidden.example.org/pending", visibility=Visibility.PENDING
    )
    contract.sources.add(hidden_source)
    nda = NdaFactory(agency=sheriff, counterparty_vendor=amazon)
    request = RecordsRequestFactory(agency=sheriff)
    request.ndas_cited.add(nda)
    event = OversightEventFactory(agency=sheriff, finding=True)
    event.contracts.add(contract)
    ResponseDeadlineFactory(region="OR")
    # A formula-like cell, escaped the same way in the archive as in the list export.
    VendorFactory(name="=HYPERLINK(evil)")
    pending = ContractFactory(title="Pending contract", visibility=Visibility.PENDING)
    withdrawn = DeploymentFactory(visibility=Visibility.WITHDRAWN, summary="Withdrawn deployment")
    return {
        "agency": sheriff,
        "vendor": amazon,
        "contract": contract,
        "deployment": deployment,
        "hidden_source": hidden_source,
        "pending": pending,
        "withdrawn": withdrawn,
    }


def open_archive(path):
    return zipfile.ZipFile(io.BytesIO(path.read_bytes()))
