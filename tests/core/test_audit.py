"""The audit log (apps/core/audit.py): one line per review and admin action, with who and
what, written once the action's transaction commits."""

import logging

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.deployments.forms import DeploymentForm
from apps.records import services
from apps.records.models import ChangeRequest
from apps.tips.services import tip_dismiss
from tests.factories import DeploymentFactory, TipFactory

pytestmark = pytest.mark.django_db


def audit_lines(caplog):
    return [
        (record.actor, record.action, record.target_type, record.target_id)
        for record in caplog.records
        if record.name == "apps.audit"
    ]


@pytest.fixture
def audit_log(caplog):
    caplog.set_level(logging.INFO, logger="apps.audit")
    return caplog


def test_a_rejected_change_is_logged_with_its_reviewer(
    audit_log, volunteer, reviewer, django_capture_on_commit_callbacks
):
    record = DeploymentFactory(visibility="pending")
    change = ChangeRequest.objects.create(record=record, action="create", author=volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_reject(change=change, reviewer=reviewer, reason="Not sourced")
    assert audit_lines(audit_log) == [
        ("rita", "change rejected", "deployments.deployment", str(record.pk))
    ]
    line = next(r for r in audit_log.records if r.name == "apps.audit")
    assert line.actor_id == reviewer.pk
    assert line.change_id == change.pk
    assert line.getMessage() == f"rita: change rejected, deployments.deployment {record.pk}"


def test_an_approved_change_is_logged(
    audit_log, volunteer, reviewer, django_capture_on_commit_callbacks
):
    record = DeploymentFactory(visibility="pending")
    change = ChangeRequest.objects.create(record=record, action="create", author=volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_approve(change=change, reviewer=reviewer, form_class=DeploymentForm)
    assert ("rita", "change approved", "deployments.deployment", str(record.pk)) in audit_lines(
        audit_log
    )


def test_a_reviewers_withdrawal_is_logged(audit_log, reviewer, django_capture_on_commit_callbacks):
    deployment = DeploymentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_set_visibility(
            record=deployment, visibility="withdrawn", reviewer=reviewer, reason="Duplicate"
        )
    assert audit_lines(audit_log) == [
        ("rita", "withdraw published", "deployments.deployment", str(deployment.pk))
    ]


def test_a_refused_action_is_not_logged(audit_log, reviewer, django_capture_on_commit_callbacks):
    deployment = DeploymentFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.record_set_visibility(
            record=deployment.agency, visibility="withdrawn", reviewer=reviewer, reason="x"
        )
    assert audit_lines(audit_log) == []


def test_an_action_rolled_back_is_never_logged(
    audit_log, volunteer, reviewer, django_capture_on_commit_callbacks
):
    record = DeploymentFactory(visibility="pending")
    change = ChangeRequest.objects.create(record=record, action="create", author=volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.change_reject(change=change, reviewer=reviewer, reason="Not sourced")
                raise RuntimeError("the request failed after the decision")
        except RuntimeError:
            pass
    assert audit_lines(audit_log) == []


def test_a_dismissed_tip_is_logged_without_its_contents(
    audit_log, reviewer, django_capture_on_commit_callbacks
):
    tip = TipFactory(contact_email="tipster@example.org", description="Secret details")
    with django_capture_on_commit_callbacks(execute=True):
        tip_dismiss(tip_id=tip.pk, reviewer=reviewer, note="Not about surveillance")
    assert audit_lines(audit_log) == [("rita", "tip dismissed", "tips.tip", str(tip.pk))]
    assert "tipster@example.org" not in audit_log.text
    assert "Secret details" not in audit_log.text


def test_an_admin_action_is_logged(audit_log, admin_user, django_capture_on_commit_callbacks):
    deployment = DeploymentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        # What the Django admin calls after saving a changed object.
        LogEntry.objects.log_actions(
            admin_user.pk,
            [deployment],
            CHANGE,
            change_message="Changed status.",
            single_object=True,
        )
    assert audit_lines(audit_log) == [
        ("ada", "admin changed", "deployments.deployment", str(deployment.pk))
    ]
