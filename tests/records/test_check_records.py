"""`check_records` audits the publication rules on the whole database: clean after every
writer's scenario, and naming the record when one was made inconsistent behind the rules'
back (a raw `.update()`)."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.agencies.models import Agency
from apps.core.history import save_version
from apps.core.models import Visibility
from apps.deployments.models import Deployment
from apps.records.models import ChangeRequest
from apps.records.registry import publishable_kinds
from apps.records.services import version_number
from apps.sources.models import Source
from tests.editing.test_agency_editing import agency_form
from tests.editing.test_record_forms_editing import approve, edit_data, logged_in
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    SourceFactory,
    VendorFactory,
    sign_in,
)
from tests.importing.helpers import deployment_row, import_data, write_csv

pytestmark = pytest.mark.django_db


def check_records():
    """The command's output; fails the test when the command reports a problem."""
    out = io.StringIO()
    try:
        call_command("check_records", stdout=out)
    except CommandError as exc:
        pytest.fail(f"check_records found problems:\n{out.getvalue()}{exc}")
    return out.getvalue()


def problems():
    """The command's listing and error for a database it must refuse."""
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("check_records", stdout=out)
    return out.getvalue(), str(excinfo.value)


def test_a_clean_database_is_summarised():
    DeploymentFactory()
    output = check_records()
    # The deployment, its agency, vendor and product, and a source for each.
    kinds = len(publishable_kinds())  # every kind is checked, even those with no record
    assert output.startswith(f"Checked 8 published records of {kinds} kinds")


def test_a_published_record_linking_to_a_withdrawn_one_is_named_and_fails():
    deployment = DeploymentFactory()
    Agency.objects.filter(pk=deployment.agency_id).update(visibility=Visibility.WITHDRAWN)
    listing, error = problems()
    assert f"deployment #{deployment.pk}" in listing
    assert f"agency → withdrawn agency #{deployment.agency_id}" in listing
    assert "1 problem in 1 published record" in error


def test_a_published_record_linking_to_withdrawn_ones_through_a_list_is_named():
    deployment = DeploymentFactory()
    contract = ContractFactory(agency=deployment.agency)
    contract.deployments.add(deployment)
    Deployment.objects.filter(pk=deployment.pk).update(visibility=Visibility.WITHDRAWN)
    listing, error = problems()
    assert f"contract #{contract.pk}" in listing
    assert f"withdrawn deployment #{deployment.pk}" in listing


def test_a_published_record_citing_no_published_source_is_named():
    deployment = DeploymentFactory()
    Source.objects.filter(deployments=deployment).update(visibility=Visibility.PENDING)
    listing, _error = problems()
    assert f"deployment #{deployment.pk}" in listing and "cites no published source" in listing


def test_a_published_record_without_a_version_is_named():
    agency = AgencyFactory()
    agency.history.all().delete()
    listing, _error = problems()
    assert f"agency #{agency.pk} “{agency}”: has no history version" in listing


def test_a_record_published_by_a_save_without_a_version_is_named():
    """A writer that skips the gateway (the admin's old "Revert" page did) publishes a
    withdrawn record again without a version: the history still says withdrawn."""
    agency = AgencyFactory()
    agency.visibility = Visibility.WITHDRAWN
    save_version(agency, user=None, summary="Withdrawn")
    Agency.objects.filter(pk=agency.pk).update(visibility=Visibility.PUBLISHED)
    listing, _error = problems()
    assert (
        f"agency #{agency.pk} “{agency}”: is published, but its latest version says withdrawn"
        in listing
    )


def test_a_pending_record_may_link_to_anything():
    agency = AgencyFactory(visibility=Visibility.PENDING)
    DeploymentFactory(agency=agency, visibility=Visibility.PENDING)
    check_records()


# ---- every writer leaves the database clean ---------------------------------------------------


def test_clean_after_a_volunteers_new_record_and_its_approval(volunteer, reviewer):
    AgencyFactory(name="City of Hillsboro", kind="city")
    logged_in(volunteer).post("/agencies/new/", agency_form(parent="City of Hillsboro"))
    check_records()
    approve(reviewer, ChangeRequest.objects.get())
    assert Agency.objects.get(ori="OR0340200").is_published
    check_records()


def test_clean_after_a_reviewers_edit_with_a_new_source(reviewer_client):
    agency = AgencyFactory()
    url = f"/agencies/{agency.slug}/edit/"
    data = edit_data(
        reviewer_client,
        url,
        locality="Beaverton",
        new_source_url="https://news.example.org/moved",
        new_source_title="The office moved",
        edit_summary="Moved",
    )
    assert reviewer_client.post(url, data).status_code == 302
    agency.refresh_from_db()
    assert agency.locality == "Beaverton"
    assert agency.sources.get(url="https://news.example.org/moved").is_published
    check_records()


def test_clean_after_withdraw_restore_and_revert(reviewer_client):
    deployment = DeploymentFactory(summary="First.")
    url = f"/deployments/{deployment.pk}/"
    reviewer_client.post(f"{url}withdraw/", {"reason": "Checking"})
    check_records()
    reviewer_client.post(f"{url}restore/", {"reason": "Fine"})
    deployment.refresh_from_db()
    assert deployment.is_published
    first = deployment.history.order_by("history_id").last()
    data = edit_data(reviewer_client, f"{url}edit/", summary="Vandal.", edit_summary="x")
    assert reviewer_client.post(f"{url}edit/", data).status_code == 302
    done = reviewer_client.post(
        f"{url}revert/", {"version": version_number(deployment, first.history_id), "reason": "Undo"}
    )
    assert done.status_code == 302
    deployment.refresh_from_db()
    assert deployment.summary == "First."
    check_records()


def test_clean_after_a_merge(reviewer_client):
    survivor = AgencyFactory(name="Washington County Sheriff's Office")
    duplicate = AgencyFactory(name="Washington Co. Sheriff")
    DeploymentFactory(agency=duplicate)
    response = reviewer_client.post(
        f"/agencies/{duplicate.slug}/merge/",
        {"survivor": f"{survivor.name} [{survivor.slug}]", "reason": "Same body"},
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.is_withdrawn
    assert Deployment.objects.get().agency == survivor
    check_records()


@pytest.mark.parametrize("role", ["Reviewers", "Volunteers"])
def test_clean_after_an_import(tmp_path, role):
    from tests.factories import member_of

    VendorFactory(name="Amazon Web Services")
    user = member_of(role, username="importer")
    path = write_csv(tmp_path, [deployment_row()], kind="deployments")
    import_data("deployments", path, user=user)
    assert Deployment.objects.get().is_published == (role == "Reviewers")
    check_records()


def test_clean_after_the_demo_load():
    call_command("seed_demo", stdout=io.StringIO())
    assert Deployment.objects.published().count() > 1000
    assert "Checked" in check_records()


def test_a_source_alone_needs_no_source():
    SourceFactory()
    check_records()


def test_clean_after_an_admin_save(client, admin_user):
    from tests.editing.test_admin_writes import change_url, save

    deployment = DeploymentFactory()
    sign_in(client, admin_user)
    assert save(client, deployment, summary="Changed in the admin.").status_code == 302
    deployment.refresh_from_db()
    assert deployment.summary == "Changed in the admin."
    # A refused save changes nothing either.
    withdrawn = AgencyFactory(visibility=Visibility.WITHDRAWN)
    assert save(client, deployment, agency=withdrawn.pk).status_code == 200
    deployment.refresh_from_db()
    assert deployment.agency != withdrawn
    assert client.get(change_url(deployment)).status_code == 200
    check_records()


def test_a_database_not_migrated_is_named_not_a_traceback(tmp_path):
    """An empty SQLite file (data/db.sqlite3 before `migrate`) has no tables: the command
    says to migrate instead of failing on its first query."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check_records"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "The database is not set up" in result.stderr
    assert "Run `python manage.py migrate` first" in result.stderr
    assert "Traceback" not in result.stderr
