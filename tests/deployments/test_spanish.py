"""The deployment pages in Spanish (/es/...): headings, labels, status names and the filter
form's labels are translated."""

import pytest
from django.utils import translation

from tests.factories import AgencyFactory, ContractFactory, DeploymentFactory, NdaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request under /es/ leaves Spanish active in this thread (LocaleMiddleware does not
    reset it): the next test's reverse() would write /es/ addresses."""
    yield
    translation.deactivate()


@pytest.fixture
def deployment():
    agency = AgencyFactory(name="Hillsboro Police Department", locality="Hillsboro")
    deployment = DeploymentFactory(agency=agency, status="pilot")
    NdaFactory(agency=agency, counterparty_vendor=deployment.vendor)
    ContractFactory(agency=agency, vendor=deployment.vendor)
    return deployment


def test_deployment_list_in_spanish(client, deployment):
    response = client.get("/es/deployments/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Despliegues</h1>" in html
    assert '<th scope="col">Proveedor / producto</th>' in html
    assert '<span class="status status-pilot">Piloto / prueba</span>' in html
    assert "Ver en un mapa las agencias de estos despliegues" in html
    assert "un contrato registrado cubre el despliegue" in html
    assert ">Detalles<span" in html
    # The filters' labels, choices and sort options (DeploymentFilter).
    assert "Tipo de agencia" in html
    assert "Iniciado en el año" in html
    assert "Más recientes primero" in html
    assert "Departamento de policía" in html
    assert '<th scope="col">Vendor / product</th>' not in html
    assert "Pilot / trial" not in html


def test_deployment_list_stays_english_unprefixed(client, deployment):
    html = client.get("/deployments/").content.decode()
    assert '<th scope="col">Vendor / product</th>' in html
    assert '<span class="status status-pilot">Pilot / trial</span>' in html


def test_deployment_detail_in_spanish(client, deployment):
    response = client.get(f"/es/deployments/{deployment.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Face Recognition en Hillsboro Police Department</h1>" in html
    assert "<dt>Política de uso por escrito</dt>" in html
    assert "<dt>Última verificación</dt><dd>Todavía no</dd>" in html
    assert "Acuerdos de confidencialidad (NDA)" in html
    assert "citado para retener documentos: <strong>Sí</strong>" in html
    assert f"Registro {deployment.pk} · último cambio el" in html
    assert "Written use policy" not in html
    assert "Non-disclosure agreements" not in html
