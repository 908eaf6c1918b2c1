"""A deployment's page tells its story as one timeline: its start and end, the contracts and
NDAs covering it, the oversight events about it and the records requests in which those NDAs
were cited, newest first, each at its date's precision, with its published sources."""

import pytest

from tests import timeline
from tests.factories import (
    ContractFactory,
    NdaFactory,
    OversightEventFactory,
    RecordsRequestFactory,
)

pytestmark = pytest.mark.django_db


def test_the_deployment_timeline_orders_every_kind_by_date_and_precision(client):
    case = timeline.build_case()
    response = client.get(case.deployment.get_absolute_url())
    timeline.assert_timeline(
        response,
        case,
        [
            ("deployment-end", case.deployment, "March 2020"),
            *timeline.shared_story(case, start="deployment-start"),
            timeline.undated(case),
        ],
    )
    section = timeline.timeline_section(response)
    assert "Start of the deployment</p>" in section
    assert "End of the deployment · Discontinued</p>" in section
    assert "Records request · Denied · <strong>NDA cited to withhold records</strong>" in section
    # Days to close only when both dates are known to the day.
    assert "; closed June 2019. Cited" in section and "; still open. Cited" in section
    assert f'Cited <a href="{case.nda.get_absolute_url()}">the NDA with Cloud Vendor</a>' in section


def test_the_timeline_query_count_does_not_grow_with_its_records(client, django_assert_num_queries):
    case = timeline.build_case()
    deployment = case.deployment

    def add_records():
        contract = ContractFactory(agency=case.sheriff, vendor=case.vendor)
        contract.deployments.add(deployment)
        nda = NdaFactory(agency=case.sheriff, counterparty_vendor=case.vendor)
        RecordsRequestFactory(agency=case.sheriff).ndas_cited.set([nda, case.nda])
        OversightEventFactory(agency=case.sheriff, deployments=[deployment])

    # the deployment, its sources; its contracts, their sources and products; the NDAs
    # covering it and their sources; the oversight events about it and their sources; the
    # records requests citing those NDAs, their sources and the NDAs they cited
    with django_assert_num_queries(13):
        client.get(deployment.get_absolute_url())
    for _ in range(4):
        add_records()
    with django_assert_num_queries(13):
        response = client.get(deployment.get_absolute_url())
    assert len(timeline.entries(response)) == 8 + 4 * 4
