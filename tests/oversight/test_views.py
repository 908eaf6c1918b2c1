"""The public list (filters, bad values, sorting), the event page and the exports."""

import csv
import datetime
import io
import json

import pytest

from apps.core.models import Visibility
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    OversightEventFactory,
    technology,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    council = AgencyFactory(name="Example City Council", kind="city-government", region="OR")
    sheriff = AgencyFactory(name="Washington County Sheriff's Office", region="OR")
    florida = AgencyFactory(name="Orlando City Council", kind="city-government", region="FL")
    face = DeploymentFactory(agency=sheriff)
    plates = DeploymentFactory(
        agency=florida, technology=technology("automated-license-plate-readers")
    )
    return {
        "vote": OversightEventFactory(agency=council, deployments=[face], yes_votes=5, no_votes=2),
        "hearing": OversightEventFactory(
            kind="public-hearing",
            agency=florida,
            outcome="unknown",
            public_comment="yes",
            occurred_date=datetime.date(2019, 1, 1),
            occurred_date_precision="year",
            summary="A hearing on license plate readers downtown.",
            deployments=[plates],
        ),
        "finding": OversightEventFactory(
            finding=True,
            agency=sheriff,
            occurred_date=datetime.date(2020, 6, 1),
            occurred_date_precision="month",
            deployments=[face],
        ),
        "admin": OversightEventFactory(
            kind="administrative-approval",
            agency=sheriff,
            public_comment="no",
            occurred_date=datetime.date(2017, 2, 1),
            occurred_date_precision="month",
        ),
    }


def listed(response):
    assert response.status_code == 200, response.content[:500]
    return [event.pk for event in response.context["object_list"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["finding", "hearing", "vote", "admin"]),  # newest first
        ("sort=date", ["admin", "vote", "hearing", "finding"]),
        ("kind=vote&kind=public-hearing", ["hearing", "vote"]),
        ("kind=No public process found", ["finding"]),
        ("region=FL", ["hearing"]),
        ("region=Oregon", ["finding", "vote", "admin"]),
        ("year=2019", ["hearing"]),
        ("year=2017&year=2020", ["finding", "admin"]),
        ("public_comment=no", ["admin"]),
        ("public_comment=yes", ["hearing", "vote"]),
        ("public_comment=unknown", ["finding"]),
        ("technology=face-recognition", ["finding", "vote"]),
        ("technology=automated-license-plate-readers", ["hearing"]),
        ("q=downtown plate", ["hearing"]),
    ],
)
def test_filters_narrow_the_list(client, events, query, expected):
    assert listed(client.get(f"/oversight/?{query}")) == [events[name].pk for name in expected]


def test_the_agency_filter_takes_a_slug_or_a_name(client, events):
    sheriff = events["finding"].agency
    by_slug = listed(client.get("/oversight/", {"agency": sheriff.slug}))
    assert by_slug == [events["finding"].pk, events["admin"].pk]
    assert listed(client.get("/oversight/", {"agency": sheriff.name})) == by_slug


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=party", "Select a valid choice"),
        ("public_comment=maybe", "Select a valid choice"),
        ("year=2019.5", "Enter a whole number"),
        ("year=1066", "greater than or equal to 1900"),
        ("agency=nobody-at-all", "No agency has the identifier, name or ORI “nobody-at-all”."),
        ("technology=mind-reading", "No technology has the identifier or name"),
        ("region=Atlantis", "Atlantis"),
        ("sort=loudest", "Select a valid choice"),
        ("q=a&q=b", "Give this parameter once"),
    ],
)
def test_bad_filter_values_are_a_400_with_the_reason(client, events, query, message):
    response = client.get(f"/oversight/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    export = client.get(f"/oversight/export.csv?{query}")
    assert export.status_code == 400


def test_unpublished_events_are_not_listed_or_shown(client, events):
    pending = OversightEventFactory(visibility=Visibility.PENDING)
    assert pending.pk not in listed(client.get("/oversight/"))
    assert client.get(pending.get_absolute_url()).status_code == 404


def test_list_query_count_does_not_grow_with_rows(client, events, django_assert_num_queries):
    # count, rows with their agencies, their sources, and the form's suggestions:
    # agencies, regions, technologies
    with django_assert_num_queries(6):
        client.get("/oversight/")
    OversightEventFactory.create_batch(8)
    with django_assert_num_queries(6):
        response = client.get("/oversight/")
    assert len(response.context["object_list"]) == 12
    page = response.content.decode()
    assert "5 for, 2 against" in page and "No public process found" in page


def test_event_page_shows_the_facts_links_and_sources(client, events, django_assert_num_queries):
    vote = events["vote"]
    contract = ContractFactory(title="Face search subscription")
    vote.contracts.add(contract)
    source = vote.sources.get()
    # the event with its agency, its sources, its deployments, its contracts
    with django_assert_num_queries(5):
        response = client.get(vote.get_absolute_url())
    page = response.content.decode()
    assert "<h1>Council / board vote: Example City Council, 5 March 2018</h1>" in page
    assert "5 for, 2 against" in page and "Approved" in page
    deployment = vote.deployments.get()
    assert f'href="{deployment.get_absolute_url()}"' in page
    assert f'href="{contract.get_absolute_url()}"' in page
    assert f'href="{source.get_absolute_url()}"' in page
    assert f'href="/oversight/{vote.pk}/history/"' in page


def test_a_findings_page_says_it_is_a_finding_without_outcome_or_comment(client, events):
    page = client.get(events["finding"].get_absolute_url()).content.decode()
    assert "Research in June 2020 found no public process" in page
    assert "Public could comment" not in page and "Outcome" not in page


def test_the_exports_follow_the_filters_with_ids_and_sources_in_one_cell(client, events):
    vote = events["vote"]
    contracts = [ContractFactory(), ContractFactory()]
    vote.contracts.set(contracts)
    hidden = ContractFactory(visibility=Visibility.PENDING)
    vote.contracts.add(hidden)
    response = client.get("/oversight/export.csv", {"kind": "vote"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(vote.pk)
    assert row["url"] == f"http://testserver/oversight/{vote.pk}/"
    assert (row["kind"], row["date"], row["yes_votes"], row["no_votes"]) == (
        "vote",
        "2018-03-05",
        "5",
        "2",
    )
    assert row["abstentions"] == "" and row["public_comment"] == "yes"
    assert row["deployment_ids"] == str(vote.deployments.get().pk)
    assert row["contract_ids"] == " | ".join(str(c.pk) for c in contracts)
    assert row["source_urls"] == vote.sources.get().url

    response = client.get("/oversight/export.json", {"public_comment": "unknown"})
    data = json.loads(b"".join(response.streaming_content))
    [finding] = data["results"]
    assert finding["id"] == events["finding"].pk
    assert finding["kind"] == "no-public-process-found"
    assert finding["date"] == {"date": "2020-06", "precision": "month"}
    assert finding["vote_tally"] is None
    assert finding["deployments"] == [events["finding"].deployments.get().pk]


def test_a_contract_page_lists_the_events_that_concern_it_oldest_first(client):
    contract = ContractFactory()
    later = OversightEventFactory(contracts=[contract])  # 5 March 2018
    earlier = OversightEventFactory(
        kind="public-hearing",
        occurred_date=datetime.date(2018, 1, 1),
        occurred_date_precision="year",
        contracts=[contract],
    )
    OversightEventFactory(contracts=[contract], visibility=Visibility.PENDING)
    response = client.get(contract.get_absolute_url())
    assert response.context["oversight_events"] == [earlier, later]
    page = response.content.decode()
    assert f'<a href="{earlier.get_absolute_url()}">Public hearing</a>' in page
    assert page.index(earlier.get_absolute_url()) < page.index(later.get_absolute_url())
