import csv
import io

import pytest

from apps.core.models import Visibility
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    ProductFactory,
    VendorAliasFactory,
    VendorFactory,
    technology,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendors():
    cloud = VendorFactory(name="Cloud Vendor", country="US")
    parent = VendorFactory(name="Cloud Holdings", country="US")
    cloud.parent = parent
    cloud.save()
    drones = VendorFactory(name="Sky Eyes", country="CN")
    face = ProductFactory(vendor=cloud, name="Recognize")
    sky = ProductFactory(vendor=drones, name="Hover", technologies=[technology("drones")])
    DeploymentFactory(product=face, agency=AgencyFactory(region="OR"))
    DeploymentFactory(
        product=sky, agency=AgencyFactory(region="FL"), technology=technology("drones")
    )
    return {"cloud": cloud, "parent": parent, "drones": drones, "face": face, "sky": sky}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"cloud", "parent", "drones"}),
        ("technology=drones", {"drones"}),
        ("technology=face-recognition", {"cloud"}),
        ("country=CN", {"drones"}),
        ("customer_region=OR", {"cloud"}),
    ],
)
def test_vendor_filters_narrow_the_list(client, vendors, query, expected):
    response = client.get(f"/vendors/?{query}")
    assert response.status_code == 200
    assert {v.pk for v in response.context["object_list"]} == {vendors[n].pk for n in expected}


def test_vendor_profile_lists_products_customers_and_timeline(
    client, vendors, django_assert_num_queries
):
    cloud = vendors["cloud"]
    VendorAliasFactory(vendor=cloud, name="CV Inc")
    ContractFactory(vendor=cloud, title="Cloud subscription")
    NdaFactory(counterparty_vendor=cloud)
    # 24: the vendor's family (one query per level of subsidiaries) joins the usual reads;
    # the timeline's page adds the oversight events about its records and the records
    # requests citing its NDAs (none here, so neither's sources are asked for), the next
    # positions of each kind, four counts and the largest customers; 8 for the charts: the
    # deployments' and contracts' vendor filter (the vendor and its family, each), and one
    # grouped query per chart; 1 for "Cite this" (the version number).
    with django_assert_num_queries(33):
        response = client.get(cloud.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "a subsidiary of" in content and "Cloud Holdings" in content
    assert "Recognize" in content and "CV Inc" in content and "Cloud subscription" in content
    assert len(response.context["timeline"]) == 3
    assert len(response.context["customers"]) == 1


def test_parent_company_profile_counts_and_marks_its_subsidiaries_records(client, vendors):
    cloud, parent = vendors["cloud"], vendors["parent"]
    ContractFactory(vendor=cloud, title="Cloud subscription")
    NdaFactory(counterparty_vendor=cloud)
    response = client.get(parent.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Nothing is recorded yet" not in content
    counts = response.context["counts"]
    assert (counts["deployments"], counts["contracts"], counts["ndas"]) == (1, 1, 1)
    assert [p.name for p in response.context["products"]] == ["Recognize"]
    assert len(response.context["customers"]) == 1
    # Each of the subsidiary's records (deployment, contract, NDA, product) says whose it is.
    assert content.count("via Cloud Vendor") == 4
    # The subsidiary's own profile does not mark its own records.
    assert "via Cloud Vendor" not in client.get(cloud.get_absolute_url()).content.decode()


def test_nda_counterparty_filter_includes_subsidiaries(client, vendors):
    cloud, parent = vendors["cloud"], vendors["parent"]
    subsidiary_nda = NdaFactory(counterparty_vendor=cloud)
    parent_nda = NdaFactory(counterparty_vendor=parent)
    NdaFactory(counterparty_vendor=vendors["drones"])
    by_parent = client.get("/ndas/", {"counterparty": parent.slug})
    assert {n.pk for n in by_parent.context["object_list"]} == {subsidiary_nda.pk, parent_nda.pk}
    by_subsidiary = client.get("/ndas/", {"counterparty": cloud.slug})
    assert [n.pk for n in by_subsidiary.context["object_list"]] == [subsidiary_nda.pk]


def test_vendor_list_and_export_hide_unpublished(client, vendors):
    vendors["drones"].visibility = Visibility.PENDING
    vendors["drones"].save()
    response = client.get("/vendors/")
    assert vendors["drones"].pk not in {v.pk for v in response.context["object_list"]}
    export = client.get("/vendors/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert "Sky Eyes" not in {row["name"] for row in rows}
    assert client.get(vendors["drones"].get_absolute_url()).status_code == 404


def test_product_list_filters_and_detail(client, vendors, django_assert_num_queries):
    response = client.get("/products/", {"technology": "drones"})
    assert [p.pk for p in response.context["object_list"]] == [vendors["sky"].pk]
    response = client.get("/products/", {"vendor": vendors["cloud"].slug})
    assert [p.pk for p in response.context["object_list"]] == [vendors["face"].pk]
    assert client.get("/products/", {"vendor": "nobody"}).status_code == 400
    # the product, its technologies and sources, the timeline's next positions of its
    # deployments and contracts, its deployments (+sources) on the page (no contract), and
    # the two counts.
    with django_assert_num_queries(10):
        detail = client.get(vendors["face"].get_absolute_url())
    assert detail.status_code == 200
    assert "Face Recognition" in detail.content.decode()


def test_product_list_query_count_is_fixed(client, vendors, django_assert_num_queries):
    ProductFactory.create_batch(8)
    # count, rows with vendors, their technologies, vendor choices, technology choices
    with django_assert_num_queries(5):
        client.get("/products/")


def test_vendor_list_query_count_is_fixed(client, vendors, django_assert_num_queries):
    # count, rows (with parents), the form's suggestions: technologies, customer regions
    with django_assert_num_queries(4):
        client.get("/vendors/")
    VendorFactory.create_batch(5, parent=vendors["cloud"])
    with django_assert_num_queries(4):
        response = client.get("/vendors/", {"customer_region": "Oregon"})
    assert [v.pk for v in response.context["object_list"]] == [vendors["cloud"].pk]
