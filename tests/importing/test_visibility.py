"""An import links a row only to records its user may link (published ones, and a
volunteer's own pending records) and publishes only what the site's publication rules allow:
it never links to, nor adds again, a withdrawn record or one waiting for someone else's
review."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from apps.agencies.models import Agency
from apps.contracts import csv_format as contract_format
from apps.contracts.models import Contract
from apps.core.models import Visibility
from apps.deployments.models import Deployment
from apps.records.models import ChangeRequest
from apps.vendors.models import Vendor
from tests.editing.test_agency_editing import agency_form
from tests.factories import (
    AgencyFactory,
    DeploymentFactory,
    ProductFactory,
    SourceFactory,
    VendorFactory,
)
from tests.importing.helpers import (
    AGENCY_CELLS,
    contract_row,
    deployment_row,
    import_data,
    refused,
    reviewer,
    volunteer,
    write_csv,
)

pytestmark = pytest.mark.django_db

WITHDRAWN = Visibility.WITHDRAWN
PENDING = Visibility.PENDING
SOURCE_URL = deployment_row()["source_url"]


def write(tmp_path, rows, kind="deployments"):
    return write_csv(tmp_path, rows, kind=kind)


def wcso(**fields):
    """The agency the sample rows name (by name and ORI)."""
    fields = {"name": AGENCY_CELLS["agency"], "region": "OR", "ori": "OR0340000", **fields}
    return AgencyFactory(**fields)


def line_of(text, line):
    return next(entry for entry in text.splitlines() if entry.startswith(f"line {line}:"))


def test_a_reviewers_import_refuses_rows_naming_withdrawn_or_pending_records(tmp_path):
    """The reported case: a deployment whose agency was withdrawn, whose only source was
    pending and whose vendor was withdrawn would have been published."""
    wcso(visibility=WITHDRAWN)
    Agency.objects.create(name="Orlando Police Department", region="FL", visibility=WITHDRAWN)
    SourceFactory(url="https://news.example.org/pending-story", visibility=PENDING)
    VendorFactory(name="Withdrawn Vision", visibility=WITHDRAWN)
    Vendor.objects.create(name="Amazon Web Services")
    rows = [
        deployment_row(),  # the agency, by its ORI
        deployment_row(agency="Orlando Police Department", region="FL", agency_ori=""),
        deployment_row(
            agency="Hillsboro Police Department",
            agency_ori="",
            source_url="https://news.example.org/pending-story",
        ),
        deployment_row(
            agency="Hillsboro Police Department", agency_ori="", vendor="Withdrawn Vision"
        ),
    ]
    text = refused("deployments", write(tmp_path, rows))

    assert "4 bad rows of 4; nothing was imported" in text
    assert line_of(text, 2) == (
        "line 2: agency_ori: the ORI OR0340000 names an agency that was withdrawn from the "
        "registry: an import neither links to it nor adds it again. A reviewer can restore it "
        "first (from its history page); otherwise correct the row."
    )
    assert "agency: “Orlando Police Department” names an agency that was withdrawn" in (
        line_of(text, 3)
    )
    assert (
        "source_url: the URL https://news.example.org/pending-story names a source that is "
        "waiting for review and not public" in line_of(text, 4)
    )
    assert "vendor: “Withdrawn Vision” names a vendor that was withdrawn" in line_of(text, 5)
    assert not Deployment.objects.exists()
    assert Vendor.objects.filter(name="Withdrawn Vision").count() == 1  # not added again


def test_a_published_record_of_the_same_name_is_matched_past_a_withdrawn_one(tmp_path):
    wcso(visibility=WITHDRAWN, ori="")
    published = AgencyFactory(name=AGENCY_CELLS["agency"], region="OR")
    import_data("deployments", write(tmp_path, [deployment_row(agency_ori="")]))
    assert Deployment.objects.get().agency == published
    assert Client().get(published.get_absolute_url()).status_code == 200


def test_a_row_matching_a_withdrawn_record_is_refused_not_changed(tmp_path):
    deployment = DeploymentFactory(
        agency=wcso(),
        technology__slug="face-recognition",
        vendor=None,
        product=None,
        start_date=None,
        start_date_precision="",
        visibility=WITHDRAWN,
    )
    row = deployment_row(vendor="", product="", start_date="")
    text = refused("deployments", write(tmp_path, [row]))
    assert "The row names a deployment that was withdrawn" in text
    deployment.refresh_from_db()
    assert deployment.visibility == WITHDRAWN


def test_a_volunteers_import_links_their_own_pending_agency_not_anothers(tmp_path):
    vera, val = volunteer("vera"), volunteer("val")
    client = Client()
    client.force_login(vera)
    form = agency_form(name=AGENCY_CELLS["agency"], ori=AGENCY_CELLS["agency_ori"])
    assert client.post("/agencies/new/", form).status_code == 302
    own = Agency.objects.get()
    assert own.visibility == PENDING

    # Another volunteer's import may not reach it, by ORI or by name.
    text = refused("deployments", write(tmp_path, [deployment_row()]), user=val)
    assert "names an agency that is waiting for review and not public" in text
    text = refused("deployments", write(tmp_path, [deployment_row(agency_ori="")]), user=val)
    assert "names an agency that is waiting for review and not public" in text
    # Nor a reviewer's, which would publish a deployment of an agency nobody approved.
    text = refused("deployments", write(tmp_path, [deployment_row()]), user=reviewer())
    assert "names an agency that is waiting for review" in text

    import_data("deployments", write(tmp_path, [deployment_row()]), user=vera)
    deployment = Deployment.objects.get()
    assert deployment.agency == own and deployment.visibility == PENDING
    assert ChangeRequest.objects.filter(object_id=deployment.pk, status="pending").exists()


def test_the_publication_rules_refuse_what_matching_alone_would_publish(tmp_path):
    """A product found by its name alone brings its vendor along: when that vendor is not
    public (a database made inconsistent outside the rules), the row is refused."""
    product = ProductFactory(name="Rekognition", vendor__name="Amazon Web Services")
    Vendor.objects.filter(pk=product.vendor_id).update(visibility=WITHDRAWN)
    text = refused("deployments", write(tmp_path, [deployment_row(vendor="")]))
    assert "line 2: deployment" in text
    assert "This links to records that are not published yet: vendor “Amazon Web Services”" in (
        text
    )


def test_a_contract_is_not_linked_to_a_withdrawn_deployment(tmp_path):
    agency = wcso()
    withdrawn = DeploymentFactory(agency=agency, visibility=WITHDRAWN)
    shown = DeploymentFactory(agency=agency)
    # The export's layout, which lists the deployments a contract covers.
    row = {
        ("source_" + key.removeprefix("source_") + "s" if key.startswith("source_") else key): value
        for key, value in contract_row().items()
    }
    row["deployment_ids"] = f"{withdrawn.pk} | {shown.pk}"
    path = write_csv(tmp_path, [row], kind="contracts", columns=contract_format.COLUMNS)
    output = import_data("contracts", path)
    assert list(Contract.objects.get().deployments.all()) == [shown]
    assert f"no deployment of {agency} has the id #{withdrawn.pk} here" in output


def test_the_database_is_consistent_after_a_reviewers_import(tmp_path):
    wcso(visibility=WITHDRAWN, ori="")
    AgencyFactory(name=AGENCY_CELLS["agency"], region="OR")
    SourceFactory(url=SOURCE_URL, visibility=WITHDRAWN)
    row = deployment_row(agency_ori="", source_url="https://news.example.org/another-story")
    import_data("deployments", write(tmp_path, [row]))
    call_command("check_records", stdout=io.StringIO())
