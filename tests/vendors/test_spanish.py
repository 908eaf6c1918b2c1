"""The vendor and product pages in Spanish (/es/...): headings, labels and the filter form's
labels are translated."""

import pytest
from django.utils import translation

from tests.factories import AgencyFactory, DeploymentFactory, ProductFactory, VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request under /es/ leaves Spanish active in this thread (LocaleMiddleware does not
    reset it): the next test's reverse() would write /es/ addresses."""
    yield
    translation.deactivate()


@pytest.fixture
def product():
    parent = VendorFactory(name="Example Holdings", slug="example-holdings")
    vendor = VendorFactory(name="Example Vision", slug="example-vision", parent=parent)
    product = ProductFactory(vendor=vendor, name="FaceFinder", slug="example-vision-facefinder")
    DeploymentFactory(agency=AgencyFactory(), product=product)
    DeploymentFactory(agency=AgencyFactory(), product=product)
    return product


def test_vendor_list_in_spanish(client, product):
    response = client.get("/es/vendors/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Proveedores</h1>" in html
    assert '<th scope="col">Empresa matriz</th>' in html
    assert "Empresas que venden, arriendan o regalan tecnología de vigilancia" in html
    # The filters' labels (VendorFilter).
    assert "Con sede en" in html
    assert "Tiene clientes en la región" in html
    assert '<th scope="col">Parent company</th>' not in html


def test_vendor_detail_in_spanish(client, product):
    response = client.get("/es/vendors/example-holdings/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>2</strong> despliegues</a>" in html
    assert "<strong>2</strong> agencias clientes</a>" in html
    assert "<strong>1</strong> producto</a>" in html
    assert "Estas cifras incluyen lo que" in html
    assert '<span class="via">vía Example Vision</span>' in html
    assert "Sobre este proveedor" in html
    assert "<dt>Filiales</dt>" in html
    assert "About this vendor" not in html
    assert "customer agencies" not in html


def test_vendor_detail_stays_english_unprefixed(client, product):
    html = client.get("/vendors/example-holdings/").content.decode()
    assert "<strong>2</strong> customer agencies</a>" in html
    assert "About this vendor" in html


def test_product_pages_in_spanish(client, product):
    response = client.get("/es/products/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Productos</h1>" in html
    assert '<th scope="col">Tecnologías</th>' in html
    assert "Productos de vigilancia con nombre propio" in html
    response = client.get("/es/products/example-vision-facefinder/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>FaceFinder de Example Vision" in html
    assert "Vendido por <a" in html
    assert "<strong>2</strong> despliegues</a>" in html
    assert "Dónde se usa" in html
    assert "Where it is used" not in html
