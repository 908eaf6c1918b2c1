"""The deployment list links each part of a row to its own page and marks the agreements
behind a deployment: an NDA between the agency and the vendor's company, a contract
covering it."""

import json
import re

import pytest

from apps.core.models import Visibility
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    ProductFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


def rows(response):
    """{deployment id: that row's HTML}."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = {}
    for row in body.split("<tr>")[1:]:
        pk = int(re.search(r'href="/deployments/(\d+)/">Details', row).group(1))
        found[pk] = row
    return found


def marker_links(row):
    """{"NDA" or "Contract": the marker's address} for the markers in a row."""
    return {
        name: href.replace("&amp;", "&")
        for href, name in re.findall(r'<a class="marker[^"]*" href="([^"]+)"[^>]*>(\w+)', row)
    }


def test_each_part_of_a_row_links_to_its_own_page(client):
    deployment = DeploymentFactory()
    row = rows(client.get("/deployments/"))[deployment.pk]
    assert f'href="{deployment.agency.get_absolute_url()}">{deployment.agency.name}</a>' in row
    assert f'href="{deployment.technology.get_absolute_url()}">' in row
    assert f'href="{deployment.vendor.get_absolute_url()}">{deployment.vendor.name}</a>' in row
    assert f'href="{deployment.product.get_absolute_url()}">' in row
    assert f'href="{deployment.get_absolute_url()}">Details' in row
    assert marker_links(row) == {}


def test_an_nda_with_the_vendor_or_a_company_above_it_is_marked_as_the_export_says(client):
    grandparent = VendorFactory(name="Holding Group")
    parent = VendorFactory(name="Holding Company", parent=grandparent)
    vendor = VendorFactory(name="Cloud Vendor", parent=parent)
    subsidiary = VendorFactory(name="Cloud Vendor Labs", parent=vendor)
    agency = AgencyFactory()
    product = ProductFactory(vendor=vendor)
    with_vendor, with_parent, with_grandparent, with_subsidiary, other_agency, unpublished = (
        DeploymentFactory(product=product, agency=AgencyFactory()) for _ in range(6)
    )
    NdaFactory(agency=with_vendor.agency, counterparty_vendor=vendor)
    NdaFactory(agency=with_parent.agency, counterparty_vendor=parent)
    NdaFactory(agency=with_grandparent.agency, counterparty_vendor=grandparent)
    # An NDA with a subsidiary does not reach a deployment recorded under its parent.
    NdaFactory(agency=with_subsidiary.agency, counterparty_vendor=subsidiary)
    NdaFactory(agency=agency, counterparty_vendor=vendor)  # not other_agency's
    NdaFactory(agency=unpublished.agency, counterparty_vendor=vendor, visibility=Visibility.PENDING)
    found = rows(client.get("/deployments/"))
    exported = {
        row["id"]: row["ndas"]
        for row in json.loads(b"".join(client.get("/deployments/export.json").streaming_content))[
            "results"
        ]
    }
    for marked in (with_vendor, with_parent, with_grandparent):
        link = marker_links(found[marked.pk])["NDA"]
        # The marker's link leads to exactly the NDAs the export names for the deployment.
        assert link == f"{marked.get_absolute_url()}#ndas-heading"
        page = client.get(link)
        assert page.status_code == 200, link
        assert [nda.pk for nda in page.context["ndas"]] == exported[marked.pk]
        assert len(exported[marked.pk]) == 1
    for unmarked in (with_subsidiary, other_agency, unpublished):
        assert "NDA" not in marker_links(found[unmarked.pk])
        assert not exported[unmarked.pk]
        page = client.get(unmarked.get_absolute_url())
        assert page.context["ndas"] == [] and 'id="ndas-heading"' not in page.content.decode()


def test_a_contract_covering_the_deployment_is_marked(client):
    covered, pending_contract, uncovered = DeploymentFactory.create_batch(3)
    contract = ContractFactory(agency=covered.agency, vendor=covered.vendor, title="Cloud deal")
    contract.deployments.add(covered)
    ContractFactory(visibility=Visibility.PENDING).deployments.add(pending_contract)
    ContractFactory(agency=uncovered.agency, vendor=uncovered.vendor)  # covers nothing
    found = rows(client.get("/deployments/"))
    link = marker_links(found[covered.pk])["Contract"]
    assert link == f"{covered.get_absolute_url()}#contracts-heading"
    assert "Cloud deal" in client.get(link).content.decode()
    assert marker_links(found[pending_contract.pk]) == {}
    assert marker_links(found[uncovered.pk]) == {}


def test_markers_have_text_and_the_legend_explains_them(client):
    deployment = DeploymentFactory()
    NdaFactory(agency=deployment.agency, counterparty_vendor=deployment.vendor)
    ContractFactory(agency=deployment.agency, vendor=deployment.vendor).deployments.add(deployment)
    content = client.get("/deployments/").content.decode()
    assert 'id="marker-legend"' in content and "non-disclosure agreement" in content
    row = rows(client.get("/deployments/"))[deployment.pk]
    assert row.count('aria-describedby="marker-legend"') == 2
    assert '>NDA<span class="visually-hidden">' in row
    assert '>Contract<span class="visually-hidden">' in row


def test_markers_keep_the_query_count_fixed(client, django_assert_num_queries):
    def add_rows(count):
        for deployment in DeploymentFactory.create_batch(count):
            NdaFactory(agency=deployment.agency, counterparty_vendor=deployment.vendor)
            ContractFactory(agency=deployment.agency, vendor=deployment.vendor).deployments.add(
                deployment
            )

    add_rows(2)
    # count, page rows, their sources, the page's NDA and contract markers, technology and
    # vendor choices, and the agency, vendor and product suggestions
    with django_assert_num_queries(10):
        client.get("/deployments/")
    add_rows(10)
    with django_assert_num_queries(10):
        response = client.get("/deployments/")
    assert len(rows(response)) == 12
    assert all(set(marker_links(row)) == {"NDA", "Contract"} for row in rows(response).values())
