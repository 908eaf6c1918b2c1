"""A vendor's profile timeline adds to its deployments, contracts and NDAs the oversight
events about its deployments and contracts and the records requests in which its NDAs were
cited: newest first, each at its date's precision, with its published sources; hidden
records never, nor the agencies' other matters."""

import pytest
from django.utils.html import escape

from tests import timeline
from tests.factories import (
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    RecordsRequestFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


def test_the_vendor_timeline_orders_every_kind_by_date_and_precision(client):
    case = timeline.build_case()
    response = client.get(case.vendor.get_absolute_url())
    # Not the sheriff's own audit, nor the request citing its NDA with another vendor.
    timeline.assert_timeline(response, case, [*timeline.shared_story(case), timeline.undated(case)])
    section = timeline.timeline_section(response)
    sheriff = f'<a href="{case.sheriff.get_absolute_url()}">{escape(case.sheriff.name)}</a>'
    assert f"Filed by Example Civil Liberties Union with {sheriff}" in section


def test_a_parent_company_timeline_covers_its_subsidiary_s_events_and_requests(client):
    case = timeline.build_case()
    parent = VendorFactory(name="Cloud Holdings")
    case.vendor.parent = parent
    case.vendor.save()
    response = client.get(parent.get_absolute_url())
    shown = timeline.entries(response)
    assert ("oversight", case.vote) in shown and ("records-request", case.denied) in shown


def test_the_timeline_query_count_does_not_grow_with_its_records(client, django_assert_num_queries):
    case = timeline.build_case()

    def add_records():
        deployment = DeploymentFactory(product=case.deployment.product)
        contract = ContractFactory(vendor=case.vendor)
        nda = NdaFactory(counterparty_vendor=case.vendor)
        RecordsRequestFactory().ndas_cited.set([nda])
        OversightEventFactory(deployments=[deployment], contracts=[contract])

    # the vendor, its aliases, its sources, its family (one query per level of subsidiaries);
    # its products (+technologies); its largest customers; the timeline's page: the next
    # positions of each of its five sources, then the records on the page: its deployments,
    # contracts (+products) and NDAs, each with their sources, the records requests citing
    # its NDAs (+their sources and the NDAs they cited) and the oversight events about its
    # records (+sources); the four counts; its subsidiaries; the charts:
    # the deployments' and contracts' lists' vendor filter (the vendor and its family,
    # each), then one grouped query per chart (4); "Cite this": the version number
    with django_assert_num_queries(38):
        client.get(case.vendor.get_absolute_url())
    for _ in range(4):
        add_records()
    with django_assert_num_queries(38):
        response = client.get(case.vendor.get_absolute_url())
    assert len(timeline.entries(response)) == 7 + 4 * 5
