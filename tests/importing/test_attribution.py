"""Imports are attributed to a user and recorded in history like any other change: a
reviewer's import publishes, a volunteer's waits in the review queue."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from apps.agencies.models import Agency
from apps.contracts.models import Contract
from apps.core.models import Visibility
from apps.deployments.models import Deployment
from apps.records.models import ChangeAction, ChangeRequest, ChangeStatus
from apps.sources.models import Source
from apps.vendors.models import Product, Vendor
from tests.factories import AgencyFactory, DeploymentFactory, UserFactory, sign_in, technology
from tests.importing.helpers import (
    contract_row,
    db_state,
    deployment_row,
    import_data,
    refused,
    reviewer,
    volunteer,
    write_csv,
)

pytestmark = pytest.mark.django_db

SUMMARY = "Imported from import.csv"
SECOND_SOURCE = {
    "source_url": "https://records.example.org/wcso-purchase",
    "source_title": "Purchase records",
}


def write(tmp_path, rows, **kwargs):
    return write_csv(tmp_path, rows, kind="deployments", **kwargs)


def imported_records():
    deployment = Deployment.objects.get()
    return [
        *Source.objects.order_by("pk"),
        deployment.agency,
        deployment.vendor,
        deployment.product,
        deployment,
    ]


def test_a_reviewers_import_is_published_with_one_attributed_version_per_record(tmp_path):
    rita = reviewer()
    # Two rows of one deployment: its two sources, in one version.
    path = write(tmp_path, [deployment_row(), deployment_row(**SECOND_SOURCE)])

    output = import_data("deployments", path, user=rita)

    records = imported_records()
    assert len(records) == 6  # two sources, agency, vendor, product, deployment
    for record in records:
        assert record.visibility == Visibility.PUBLISHED, record
        version = record.history.get()  # exactly one
        assert version.history_user == rita
        assert version.history_change_reason == SUMMARY
        assert version.approved_by == rita
        change = ChangeRequest.objects.for_record(record).get()
        assert (change.action, change.status) == (ChangeAction.IMPORT, ChangeStatus.APPROVED)
        assert (change.author, change.reviewer, change.summary) == (rita, rita, SUMMARY)
        assert change.version == version.history_id
    deployment = records[-1]
    assert deployment.history.get().relations == {
        "sources": sorted(Source.objects.values_list("pk", flat=True))
    }
    assert deployment.product.history.get().relations["technologies"] == [
        technology("face-recognition").pk
    ]
    assert "History: 6 records created or changed, each with a version by rita" in output
    assert "Published at once" in output


def test_imports_show_in_recent_changes_and_in_the_authors_contributions(tmp_path):
    rita = reviewer()
    import_data("deployments", write(tmp_path, [deployment_row()]), user=rita)

    recent = Client().get("/changes/").content.decode()
    assert recent.count(SUMMARY) == 5
    assert "Washington County Sheriff&#x27;s Office" in recent

    client = Client()
    sign_in(client, rita)
    mine = client.get("/contributions/").content.decode()
    assert "Approved (5)" in mine


def test_a_source_added_to_an_existing_record_is_a_version_by_the_importer(tmp_path):
    rita = reviewer()
    agency = AgencyFactory(ori="OR0340000")
    existing = DeploymentFactory(agency=agency)
    versions_before = existing.history.count()
    agency_versions = agency.history.count()
    row = deployment_row(vendor=existing.vendor.name, product=existing.product.name)

    import_data("deployments", write(tmp_path, [row]), user=rita)

    assert existing.history.count() == versions_before + 1
    latest = existing.history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason) == (rita, SUMMARY)
    new_source = Source.objects.get(url=row["source_url"])
    assert new_source.pk in latest.relations["sources"]
    change = ChangeRequest.objects.for_record(existing).get()
    assert (change.action, change.version) == (ChangeAction.IMPORT, latest.history_id)
    # The matched agency did not change: no version, no change request.
    assert agency.history.count() == agency_versions
    assert not ChangeRequest.objects.for_record(agency).exists()


def test_importing_again_records_nothing(tmp_path):
    path = write(tmp_path, [deployment_row(), deployment_row(**SECOND_SOURCE)])
    import_data("deployments", path)
    before = db_state()  # versions and change requests included

    import_data("deployments", path)

    assert db_state() == before


def test_a_volunteers_import_waits_for_review_and_is_invisible(tmp_path, client):
    vera = volunteer()
    path = write(tmp_path, [deployment_row(), deployment_row(**SECOND_SOURCE)])

    output = import_data("deployments", path, user=vera)

    records = imported_records()
    for record in records:
        assert record.visibility == Visibility.PENDING, record
        version = record.history.get()
        assert (version.history_user, version.approved_by) == (vera, None)
        assert version.history_change_reason == SUMMARY
    # A pending "new record" change for each record, but not for the new sources: they are
    # published with the record that cites them, as with the site's form.
    changes = ChangeRequest.objects.filter(author=vera)
    assert {change.record for change in changes} == set(records[2:])
    assert {(c.action, c.status, c.reviewer) for c in changes} == {
        (ChangeAction.CREATE, ChangeStatus.PENDING, None)
    }
    assert "Waiting for review: 4 new records in the review queue" in output

    # Nothing is public: list, detail, export, agency profile, recent changes.
    deployment = records[-1]
    assert "Washington County" not in client.get("/deployments/").content.decode()
    assert client.get(deployment.get_absolute_url()).status_code == 404
    export = b"".join(client.get("/deployments/export.csv").streaming_content).decode()
    assert "Washington County" not in export
    assert client.get(deployment.agency.get_absolute_url()).status_code == 404
    assert SUMMARY not in client.get("/changes/").content.decode()

    # A reviewer sees them in the queue. The deployment waits for the new agency, vendor and
    # product it links to; once those are approved it is published with its sources, the
    # version by the volunteer approved by the reviewer.
    rita = reviewer()
    sign_in(client, rita)
    queue = client.get("/review/").content.decode()
    assert "4 pending changes" in queue
    change = ChangeRequest.objects.for_record(deployment).get()
    client.post(f"/changes/{change.pk}/approve/")
    change.refresh_from_db()
    assert change.status == "pending"
    for linked in ChangeRequest.objects.pending().exclude(pk=change.pk).order_by("pk"):
        assert client.post(f"/changes/{linked.pk}/approve/").status_code == 302
    response = client.post(f"/changes/{change.pk}/approve/")
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.visibility == Visibility.PUBLISHED
    assert set(deployment.sources.values_list("visibility", flat=True)) == {"published"}
    version = deployment.history.latest("history_id")
    assert (version.history_user, version.approved_by) == (vera, rita)


def test_a_volunteers_import_does_not_change_existing_records(tmp_path):
    agency = AgencyFactory(ori="OR0340000")
    existing = DeploymentFactory(agency=agency)
    row = deployment_row(vendor=existing.vendor.name, product=existing.product.name)

    error = refused("deployments", write(tmp_path, [row]), user=volunteer())

    assert f"line 2: deployment #{existing.pk} (" in error
    assert "a volunteer's import only adds new records" in error
    assert "https://news.example.org/wcso-rekognition" not in error  # names the source title
    assert "sources: Amazon sells face recognition to police" in error


def test_a_volunteers_import_leaves_an_existing_products_technologies_alone(tmp_path):
    existing = DeploymentFactory(agency=AgencyFactory(ori="OR0340000"))
    product = existing.product
    row = deployment_row(
        vendor=product.vendor.name, product=product.name, technology="Drones", status=""
    )

    output = import_data("deployments", write(tmp_path, [row]), user=volunteer())

    assert technology("drones") not in product.technologies.all()
    assert "a volunteer's import leaves existing records unchanged" in output
    new = Deployment.objects.get(technology__slug="drones")
    assert (new.product, new.visibility) == (product, Visibility.PENDING)
    assert not ChangeRequest.objects.for_record(product).exists()


def test_a_volunteers_contracts_wait_for_review(tmp_path):
    vera = volunteer()
    path = write_csv(tmp_path, [contract_row()], kind="contracts")

    import_data("contracts", path, user=vera)

    contract = Contract.objects.get()
    assert contract.visibility == Visibility.PENDING
    assert set(contract.products.values_list("name", flat=True)) == {"Rekognition", "S3"}
    assert contract.history.get().relations["products"] == sorted(
        contract.products.values_list("pk", flat=True)
    )
    pending = ChangeRequest.objects.pending().filter(author=vera)
    assert {type(change.record) for change in pending} == {Agency, Vendor, Product, Contract}


def test_the_user_is_required_and_must_exist_and_have_a_role(tmp_path):
    path = write(tmp_path, [deployment_row()])
    before = db_state()

    with pytest.raises(CommandError, match=r"--user USERNAME"):
        call_command("import_data", "deployments", str(path))
    with pytest.raises(CommandError, match="No user has the username “nobody”"):
        call_command("import_data", "deployments", str(path), user="nobody")
    UserFactory(username="reader")
    with pytest.raises(CommandError, match="reader may not import"):
        call_command("import_data", "deployments", str(path), user="reader")

    assert db_state() == before


def test_a_dry_run_needs_no_user_and_records_nothing(tmp_path):
    path = write(tmp_path, [deployment_row()])
    before = db_state()

    output = import_data("deployments", path, dry_run=True)
    as_volunteer = import_data("deployments", path, dry_run=True, user=volunteer())

    assert db_state() == before
    assert "History" not in output
    assert "As vera's import, new records would be held for review." in as_volunteer
