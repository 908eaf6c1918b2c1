"""A researcher downloads the whole data set from /data/: the page first says there is
nothing built yet, then, once the package is built, offers the archive, and the file the
browser saves is a zip holding datapackage.json and the published records."""

import csv
import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from apps.core.models import Visibility
from apps.opendata import package
from tests.factories import ContractFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_visitor_downloads_the_data_package_from_the_data_page(page, settings, tmp_path):
    settings.DATA_PACKAGE_DIR = tmp_path / "package"
    published = ContractFactory(title="Rekognition subscription")
    ContractFactory(title="Pending contract", visibility=Visibility.PENDING)

    page.goto("/")
    page.get_by_role("link", name="all of it at once").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download the data")
    expect(page.get_by_role("status")).to_contain_text("No data package has been built yet")
    expect(page.get_by_role("link", name="Download the data package")).to_have_count(0)

    package.build()
    page.reload()
    expect(page.locator("table")).to_contain_text("contracts.csv")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the data package").click()
    assert download.value.suggested_filename.endswith(".zip")
    with open(download.value.path(), "rb") as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert "contracts" in [resource["name"] for resource in descriptor["resources"]]
    rows = list(csv.DictReader(io.StringIO(archive.read("contracts.csv").decode(), newline="")))
    assert [row["title"] for row in rows] == [published.title]
    assert page.js_errors == []
