"""An agency's profile timeline shows the oversight events it held and those about its
deployments and contracts, dated and cited like the rest."""

import datetime

import pytest

from apps.core.models import Visibility
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    OversightEventFactory,
)

pytestmark = pytest.mark.django_db


def test_an_agency_timeline_shows_its_events_and_those_about_its_records(client):
    sheriff = AgencyFactory(name="Washington County Sheriff's Office")
    board = AgencyFactory(name="Washington County Board", kind="county-government")
    deployment = DeploymentFactory(agency=sheriff)  # started in 2017
    contract = ContractFactory(agency=sheriff, title="Face search subscription")
    held = OversightEventFactory(
        finding=True,
        agency=sheriff,
        occurred_date=datetime.date(2019, 1, 1),
        occurred_date_precision="year",
    )
    # Held by the county board, about the sheriff's deployment and contract: once on the page.
    about_both = OversightEventFactory(agency=board, deployments=[deployment], contracts=[contract])
    OversightEventFactory(agency=board)  # the board's own matter
    OversightEventFactory(agency=sheriff, visibility=Visibility.PENDING)

    response = client.get(sheriff.get_absolute_url())
    timeline = response.context["timeline"]
    events = [item.record for item in timeline if item.kind == "oversight"]
    assert events == [held, about_both]  # newest first, each once
    page = response.content.decode()
    assert "<strong>No public process found</strong>" in page
    assert "Council / board vote · Approved · 5 for, 2 against" in page
    assert f'<a href="{about_both.get_absolute_url()}">Washington County Board</a>' in page
    assert about_both.sources.get().get_absolute_url() in page

    board_page = client.get(board.get_absolute_url())
    board_events = [i.record for i in board_page.context["timeline"] if i.kind == "oversight"]
    assert about_both in board_events and held not in board_events
