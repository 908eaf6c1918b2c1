"""What the public sees stays consistent: nothing published points at something hidden."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from apps.core.history import save_version
from apps.core.models import Visibility
from apps.deployments.forms import DeploymentForm
from apps.records import services
from apps.records.models import ChangeRequest
from tests.factories import AgencyFactory, DeploymentFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_withdrawing_a_record_that_published_records_link_to_is_refused(reviewer):
    deployment = DeploymentFactory()
    with pytest.raises(ValidationError, match="Published records depend on this one"):
        services.record_set_visibility(
            record=deployment.agency, visibility="withdrawn", reviewer=reviewer, reason="x"
        )
    deployment.agency.refresh_from_db()
    assert deployment.agency.visibility == Visibility.PUBLISHED


def test_withdrawing_a_source_is_refused_only_when_a_record_would_cite_nothing(reviewer):
    only = SourceFactory()
    DeploymentFactory(sources=[only])
    with pytest.raises(ValidationError, match="depend on this one"):
        services.record_set_visibility(
            record=only, visibility="withdrawn", reviewer=reviewer, reason="x"
        )
    spare, extra = SourceFactory(), SourceFactory()
    DeploymentFactory(sources=[spare, extra])
    services.record_set_visibility(
        record=spare, visibility="withdrawn", reviewer=reviewer, reason="Duplicate"
    )
    spare.refresh_from_db()
    assert spare.visibility == Visibility.WITHDRAWN


def test_restore_only_brings_back_withdrawn_records(reviewer):
    pending = DeploymentFactory(visibility=Visibility.PENDING)
    with pytest.raises(ValidationError, match="Only a withdrawn record can be restored"):
        services.record_set_visibility(
            record=pending, visibility="published", reviewer=reviewer, reason="x"
        )
    assert Client().get(pending.get_absolute_url()).status_code == 404


def test_a_rejected_new_record_is_withdrawn_and_cannot_be_approved_later(volunteer, reviewer):
    record = DeploymentFactory(visibility=Visibility.PENDING)
    change = ChangeRequest.objects.create(record=record, action="create", author=volunteer)
    services.change_reject(change=change, reviewer=reviewer, reason="Not sourced")
    record.refresh_from_db()
    assert record.visibility == Visibility.WITHDRAWN
    assert "Rejected: Not sourced" in record.history.latest().history_change_reason
    other = DeploymentFactory(visibility=Visibility.WITHDRAWN)
    stale = ChangeRequest.objects.create(record=other, action="create", author=volunteer)
    with pytest.raises(ValidationError, match="not waiting for review"):
        services.change_approve(
            change=stale,
            reviewer=reviewer,
            form_class=DeploymentForm,
        )


def test_revert_cannot_point_a_published_record_at_a_withdrawn_one(reviewer_client, reviewer):
    first_agency = AgencyFactory()
    deployment = DeploymentFactory(agency=first_agency)
    first_version = deployment.history.count()  # the current version, by its number
    deployment.agency = AgencyFactory()
    services.record_save(record=deployment, user=reviewer, summary="moved")
    services.record_set_visibility(
        record=first_agency, visibility="withdrawn", reviewer=reviewer, reason="dup"
    )
    response = reviewer_client.post(
        f"/deployments/{deployment.pk}/revert/",
        {"version": first_version, "reason": "undo"},
        follow=True,
    )
    assert "not published yet" in response.content.decode()
    deployment.refresh_from_db()
    assert deployment.agency != first_agency


def test_a_reviewer_citing_a_pending_source_publishes_it(reviewer_client):
    from tests.editing.test_deployment_editing import edit_form_data

    deployment = DeploymentFactory()
    pending_source = SourceFactory(visibility=Visibility.PENDING, title="Waiting source")
    data = edit_form_data(
        reviewer_client, deployment, sources=f"#{pending_source.pk}", edit_summary="cite"
    )
    assert reviewer_client.post(f"/deployments/{deployment.pk}/edit/", data).status_code == 302
    pending_source.refresh_from_db()
    assert pending_source.visibility == Visibility.PUBLISHED
    assert Client().get(pending_source.get_absolute_url()).status_code == 200


def test_merging_moves_only_published_sources(reviewer):
    from apps.records.merging import merge_records

    hidden = SourceFactory(visibility=Visibility.WITHDRAWN, title="Hidden evidence")
    duplicate = AgencyFactory(sources=[hidden, SourceFactory()])
    survivor = AgencyFactory()
    merge_records(duplicate=duplicate, survivor=survivor, reviewer=reviewer, reason="Same")
    assert hidden not in survivor.sources.all()
    assert survivor.sources.count() == 2


def test_other_volunteers_unreviewed_records_are_not_suggested(volunteer_client, volunteer):
    from tests.factories import member_of

    # Who added a record is who saved its first version.
    mine = AgencyFactory.build(name="Zz Own Pending Agency", visibility=Visibility.PENDING)
    save_version(mine, user=volunteer, summary="New", first=True)
    theirs = AgencyFactory.build(name="Zz Secret Pending Agency", visibility=Visibility.PENDING)
    other = member_of("Volunteers", username="other")
    save_version(theirs, user=other, summary="New", first=True)
    AgencyFactory(name="Zz Public Agency")
    labels = [
        r["value"] for r in volunteer_client.get("/autocomplete/agencies/?q=zz").json()["results"]
    ]
    assert any("Own Pending" in label for label in labels)
    assert any("Public Agency" in label for label in labels)
    assert not any("Secret" in label for label in labels)
    # Nor in the form's "did you mean" hint.
    from tests.editing.test_deployment_editing import deployment_form
    from tests.factories import ProductFactory

    response = volunteer_client.post(
        "/deployments/new/",
        deployment_form(AgencyFactory.build(name="Zz"), ProductFactory()),
    )
    assert "Zz Public Agency" in response.content.decode()
    assert "Secret" not in response.content.decode()


def test_reviewers_are_suggested_every_pending_record(reviewer_client):
    AgencyFactory(name="Zz Secret Pending Agency", visibility=Visibility.PENDING)
    results = reviewer_client.get("/autocomplete/agencies/?q=zz").json()["results"]
    assert [r["value"] for r in results] == [
        "Zz Secret Pending Agency [zz-secret-pending-agency-or]"
    ]
