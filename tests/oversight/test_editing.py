"""Oversight events through the site's review workflow: a volunteer proposes one (linking
deployments and contracts by number), a reviewer approves it, the history keeps it; the
form's errors for the model's rules and for lines that name no record."""

import pytest
from django.test import Client

from apps.core.models import Visibility
from apps.oversight.models import OversightEvent
from apps.records.models import ChangeRequest
from tests.editing.test_record_forms_editing import (
    NEW_SOURCE,
    approve,
    diff_rows,
    edit_data,
    errors_of,
    history_names,
    pending_update,
)
from tests.factories import AgencyFactory, ContractFactory, DeploymentFactory, OversightEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return AgencyFactory(name="Example City Council", kind="city-government")


def event_form(agency, **overrides):
    data = {
        "kind": "vote",
        "agency": agency.name,
        "date": "2018-03-05",
        "summary": "The council voted on the police department's face recognition contract.",
        "outcome": "approved",
        "outcome_summary": "Approved on condition of an annual report.",
        "yes_votes": "5",
        "no_votes": "2",
        "abstentions": "",
        "absent": "1",
        "public_comment": "yes",
        "deployments": "",
        "contracts": "",
        **NEW_SOURCE,
    }
    data.update(overrides)
    return data


def public_event_ids():
    return {event.pk for event in Client().get("/oversight/").context["object_list"]}


def test_volunteer_proposes_an_event_that_a_reviewer_publishes(volunteer_client, reviewer, council):
    deployment = DeploymentFactory()
    contract = ContractFactory()
    data = event_form(
        council,
        deployments=f"#{deployment.pk}\nhttps://example.org/deployments/{deployment.pk}/",
        contracts=f"http://testserver/contracts/{contract.pk}/",
    )
    response = volunteer_client.post("/oversight/new/", data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    change = ChangeRequest.objects.get()
    event = change.record
    assert (event.kind, event.agency, str(event.occurred)) == ("vote", council, "5 March 2018")
    assert (event.yes_votes, event.no_votes, event.abstentions, event.absent) == (5, 2, None, 1)
    assert list(event.deployments.all()) == [deployment]
    assert list(event.contracts.all()) == [contract]
    assert event.visibility == Visibility.PENDING
    assert event.pk not in public_event_ids()
    assert Client().get(event.get_absolute_url()).status_code == 404
    assert "not yet researched" in Client().get(deployment.get_absolute_url()).content.decode()

    rows = diff_rows(reviewer, change)  # what the reviewer sees, links included
    assert rows["Kind"] == ("", "Council / board vote")
    assert rows["Votes for"] == ("", "5")
    assert rows["Deployments"] == ("", str(deployment))
    assert rows["Contracts"] == ("", contract.title)
    approve(reviewer, change)
    assert event.pk in public_event_ids()
    page = Client().get(event.get_absolute_url()).content.decode()
    assert "5 for, 2 against, 1 absent" in page
    assert f'href="/oversight/{event.pk}/history/"' in page
    history = history_names(f"/oversight/{event.pk}/history/")
    assert "Vera Volunteer" in history and "Rita Reviewer" in history
    assert OversightEvent.objects.get(pk=event.pk).history.latest().approved_by == reviewer
    deployment_page = Client().get(deployment.get_absolute_url()).content.decode()
    assert f'<a href="{event.get_absolute_url()}">Example City Council</a>' in deployment_page


def test_a_finding_of_no_public_process_is_recorded_by_a_reviewer(reviewer_client, council):
    deployment = DeploymentFactory()
    data = event_form(
        council,
        kind="no-public-process-found",
        date="2021-02",
        yes_votes="",
        no_votes="",
        absent="",
        public_comment="unknown",
        outcome="unknown",
        deployments=f"#{deployment.pk}",
    )
    assert reviewer_client.post("/oversight/new/", data).status_code == 302
    finding = OversightEvent.objects.get()
    assert finding.is_published and finding.is_finding
    page = Client().get(deployment.get_absolute_url()).content.decode()
    assert "Research in February 2021 found" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"kind": "public-hearing"},
            "yes_votes",
            "Only a council / board vote or a consent-agenda approval has a vote tally.",
        ),
        (
            {"kind": "no-public-process-found", "yes_votes": "", "no_votes": "", "absent": ""},
            "public_comment",
            "A finding of no public process says nothing of public comment: leave it unknown.",
        ),
        (
            {"kind": "no-public-process-found", "date": "", "public_comment": "unknown"},
            "date",
            "Give the date of the research that found no public process.",
        ),
        ({"yes_votes": "-3"}, "yes_votes", "Ensure this value is greater than or equal to 0."),
        ({"deployments": "the sheriff's one"}, "deployments", "is not a deployment number"),
        ({"deployments": "#99999999"}, "deployments", "There is no deployment #99999999."),
        ({"contracts": "#99999999"}, "contracts", "There is no contract #99999999."),
    ],
)
def test_the_form_explains_what_is_wrong(volunteer_client, council, overrides, field, message):
    errors = errors_of(volunteer_client.post("/oversight/new/", event_form(council, **overrides)))
    assert any(message in error for error in errors[field]), errors
    assert not OversightEvent.objects.exists()


def test_a_volunteer_cannot_link_another_volunteers_pending_deployment(volunteer_client, council):
    pending = DeploymentFactory(visibility=Visibility.PENDING)
    data = event_form(council, deployments=f"#{pending.pk}")
    errors = errors_of(volunteer_client.post("/oversight/new/", data))
    assert errors["deployments"] == [f"There is no deployment #{pending.pk}."]


def test_volunteer_edit_waits_and_approval_applies_it(volunteer_client, reviewer):
    event = OversightEventFactory(outcome="pending")
    url = f"/oversight/{event.pk}/edit/"
    data = edit_data(
        volunteer_client, url, outcome="rejected", no_votes="4", edit_summary="Minutes"
    )
    assert volunteer_client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.outcome == "pending"
    change = pending_update()
    assert diff_rows(reviewer, change) == {
        "Outcome": ("Pending", "Rejected"),
        "Votes against": ("2", "4"),
    }
    approve(reviewer, change)
    event.refresh_from_db()
    assert (event.outcome, event.no_votes) == ("rejected", 4)
