"""The "Public process" section of a deployment's page, in its three states: events as a
chronological timeline, a finding of no public process, and not yet researched."""

import datetime
import re

import pytest

from apps.core.models import Visibility
from apps.core.partial_dates import DatePrecision
from tests.factories import AgencyFactory, DeploymentFactory, OversightEventFactory

pytestmark = pytest.mark.django_db

NOT_RESEARCHED = "No public process recorded — not yet researched."
BEFORE_ACQUISITION = "No recorded public process before acquisition"


def process_section(client, deployment):
    page = client.get(deployment.get_absolute_url()).content.decode()
    match = re.search(r'<section aria-labelledby="process-heading".*?</section>', page, re.S)
    assert match, "the page has no Public process section"
    return match.group(0)


def dated(text, precision):
    parts = [int(part) for part in text.split("-")] + [1, 1]
    return {"occurred_date": datetime.date(*parts[:3]), "occurred_date_precision": precision}


def hearing(deployment, text, precision, **values):
    return OversightEventFactory(
        kind="public-hearing",
        deployments=[deployment],
        **dated(text, precision),
        **values,
    )


def test_a_deployment_without_events_is_not_yet_researched(client):
    deployment = DeploymentFactory()
    OversightEventFactory(deployments=[DeploymentFactory()])  # another deployment's
    OversightEventFactory(deployments=[deployment], visibility=Visibility.PENDING)
    section = process_section(client, deployment)
    assert NOT_RESEARCHED in section
    assert "timeline" not in section and "no public process</a>" not in section


def test_events_show_as_a_timeline_oldest_first_with_mixed_precision(
    client, django_assert_num_queries
):
    deployment = DeploymentFactory(start_date=None, start_date_precision="")
    day = hearing(deployment, "2019-03-05", DatePrecision.DAY)
    year = hearing(deployment, "2019", DatePrecision.YEAR)
    undated = hearing(deployment, "2019", DatePrecision.YEAR)
    undated.occurred = None
    undated.save()
    month = hearing(deployment, "2019-03", DatePrecision.MONTH)
    vote = OversightEventFactory(
        agency=AgencyFactory(name="Example City Council"),
        deployments=[deployment],
        **dated("2018-11-20", DatePrecision.DAY),
    )
    # the page's five queries, and the events' sources
    with django_assert_num_queries(7):
        response = client.get(deployment.get_absolute_url())
    assert [event.pk for event in response.context["process"].events] == [
        vote.pk,
        year.pk,
        month.pk,
        day.pk,
        undated.pk,
    ]
    section = process_section(client, deployment)
    dates = re.findall(r'<p class="timeline-date">(.*?)</p>', section)
    assert dates == ["20 November 2018", "2019", "March 2019", "5 March 2019", "Date unknown"]
    assert "Council / board vote · Approved · 5 for, 2 against" in section
    assert f'<a href="{vote.get_absolute_url()}">Example City Council</a>' in section
    for event in (vote, year, month, day, undated):
        assert f'href="{event.sources.get().get_absolute_url()}"' in section
    assert NOT_RESEARCHED not in section and BEFORE_ACQUISITION not in section


def test_a_finding_of_no_public_process_is_said_with_its_source(client):
    deployment = DeploymentFactory()
    finding = OversightEventFactory(
        finding=True,
        agency=deployment.agency,
        deployments=[deployment],
        **dated("2021-02", DatePrecision.MONTH),
    )
    section = process_section(client, deployment)
    assert (
        f'Research in February 2021 found <a href="{finding.get_absolute_url()}">no public '
        "process</a> for this deployment." in section
    )
    assert f'href="{finding.sources.get().get_absolute_url()}"' in section
    assert NOT_RESEARCHED not in section
    assert '<ol class="timeline">' not in section  # the finding is not an event of the process


@pytest.mark.parametrize(
    ("start", "events", "only_after"),
    [
        (("2017", "year"), [("2018-01", "month")], True),
        (("2017-06", "month"), [("2017", "year")], False),  # may have been before
        (("2017-06", "month"), [("2017-07-01", "day"), ("2017-05", "month")], False),
        (("2017-06-10", "day"), [("2017-06-11", "day")], True),
        (None, [("2018", "year")], False),  # an unknown start: nobody can say
    ],
)
def test_events_only_after_the_start_are_said_to_be_after_acquisition(
    client, start, events, only_after
):
    values = dated(*start) if start else {"start_date": None, "start_date_precision": ""}
    if start:
        values = {"start_date": values["occurred_date"], "start_date_precision": start[1]}
    deployment = DeploymentFactory(**values)
    for text, precision in events:
        hearing(deployment, text, precision)
    section = process_section(client, deployment)
    assert (BEFORE_ACQUISITION in section) is only_after
    if only_after:
        first = client.get(deployment.get_absolute_url()).context["process"].events[0]
        assert f"the deployment started in {deployment.start}" in section
        assert f"the earliest recorded event is of {first.date}" in section


def test_an_undated_event_leaves_the_order_to_acquisition_unsaid(client):
    deployment = DeploymentFactory()  # started in 2017
    hearing(deployment, "2018", DatePrecision.YEAR)
    undated = hearing(deployment, "2018", DatePrecision.YEAR)
    undated.occurred = None
    undated.save()
    assert BEFORE_ACQUISITION not in process_section(client, deployment)
