"""A deployment's page names the NDAs that cover it, by the rule its list marker and its
export follow (Nda.objects.covering)."""

import datetime
import json
import re

import pytest

from apps.core.models import Visibility
from apps.core.partial_dates import DatePrecision
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    ProductFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


def nda_section(page):
    match = re.search(r'<section aria-labelledby="ndas-heading">(.*?)</section>', page, re.S)
    return match.group(1) if match else ""


def test_the_page_lists_each_covering_nda_with_its_counterparty_date_and_use(client):
    holding = VendorFactory(name="Holding Group")
    vendor = VendorFactory(name="Cloud Vendor", parent=holding)
    subsidiary = VendorFactory(name="Cloud Vendor Labs", parent=vendor)
    deployment = DeploymentFactory(product=ProductFactory(vendor=vendor))
    agency = deployment.agency
    with_vendor = NdaFactory(agency=agency, counterparty_vendor=vendor, cited_to_withhold="yes")
    with_holding = NdaFactory(
        agency=agency,
        counterparty_vendor=holding,
        signed_date=datetime.date(2019, 6, 14),
        signed_date_precision=DatePrecision.DAY,
        cited_to_withhold="no",
    )
    NdaFactory(agency=agency, counterparty_vendor=subsidiary)  # below the vendor: not covering
    NdaFactory(agency=AgencyFactory(), counterparty_vendor=vendor)  # another agency's
    NdaFactory(agency=agency, counterparty_vendor=vendor, visibility=Visibility.PENDING)
    NdaFactory(agency=agency, counterparty_vendor=None, counterparty_agency=AgencyFactory())

    response = client.get(deployment.get_absolute_url())
    assert [nda.pk for nda in response.context["ndas"]] == [with_holding.pk, with_vendor.pk]
    section = nda_section(response.content.decode())
    assert '<h2 id="ndas-heading">Non-disclosure agreements</h2>' in section
    assert f'<a href="{with_vendor.get_absolute_url()}">NDA with Cloud Vendor</a>' in section
    assert "signed March 2017; cited to withhold records: <strong>Yes</strong>" in section
    assert f'<a href="{with_holding.get_absolute_url()}">NDA with Holding Group</a>' in section
    assert "signed 14 June 2019; cited to withhold records: No" in section
    assert "Cloud Vendor Labs" not in section
    assert section.count("<li>") == 2

    # The export names the same NDAs.
    export = json.loads(b"".join(client.get("/deployments/export.json").streaming_content))
    (row,) = [row for row in export["results"] if row["id"] == deployment.pk]
    assert sorted(row["ndas"]) == sorted([with_vendor.pk, with_holding.pk])


def test_a_deployment_without_a_covering_nda_has_no_nda_section(client):
    deployment = DeploymentFactory()
    NdaFactory(agency=deployment.agency)  # with some other vendor
    page = client.get(deployment.get_absolute_url()).content.decode()
    assert 'id="ndas-heading"' not in page


def test_the_page_query_count_does_not_grow_with_its_agreements(client, django_assert_num_queries):
    deployment = DeploymentFactory()

    def add_agreements(count):
        for _ in range(count):
            NdaFactory(agency=deployment.agency, counterparty_vendor=deployment.vendor)
            contract = ContractFactory(agency=deployment.agency, vendor=deployment.vendor)
            contract.deployments.add(deployment)

    add_agreements(1)
    # the deployment, its sources, its contracts (with their sources and products), the
    # NDAs covering it (with their sources, cited by the timeline), the oversight events
    # concerning it (none) and the records requests citing those NDAs (none)
    with django_assert_num_queries(10):
        client.get(deployment.get_absolute_url())
    add_agreements(5)
    with django_assert_num_queries(10):
        response = client.get(deployment.get_absolute_url())
    assert len(response.context["ndas"]) == 6
