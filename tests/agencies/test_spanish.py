"""The agency pages in Spanish (/es/...): headings, labels and the filter form's labels are
translated, and the agency's coordinates stay written with a point."""

import decimal

import pytest
from django.utils import translation

from tests.factories import AgencyFactory, DeploymentFactory, NdaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request under /es/ leaves Spanish active in this thread (LocaleMiddleware does not
    reset it): the next test's reverse() would write /es/ addresses."""
    yield
    translation.deactivate()


@pytest.fixture
def sheriff():
    agency = AgencyFactory(
        name="Washington County Sheriff's Office",
        slug="washington-county-sheriff",
        kind="sheriff",
        jurisdiction_level="county",
        region="OR",
        locality="Hillsboro",
        latitude=decimal.Decimal("45.522894"),
        longitude=decimal.Decimal("-122.989827"),
    )
    DeploymentFactory(agency=agency, public_input="yes")
    NdaFactory(agency=agency)
    return agency


def test_agency_list_in_spanish(client, sheriff):
    response = client.get("/es/agencies/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Agencias</h1>" in html
    assert 'data-label="Tipo">Oficina del sheriff</td>' in html
    assert '<th scope="col">Forma parte de</th>' in html
    assert "Compare su historial de transparencia" in html
    # The filters' labels and sort options (AgencyFilter).
    assert "Jurisdicción" in html
    assert "Usa la tecnología" in html
    assert "Nombre A–Z" in html
    assert '<th scope="col">Part of</th>' not in html
    assert "Sheriff's office" not in html


def test_agency_list_stays_english_unprefixed(client, sheriff):
    html = client.get("/agencies/").content.decode()
    assert "<h1>Agencies</h1>" in html
    assert '<th scope="col">Part of</th>' in html


def test_agency_detail_in_spanish(client, sheriff):
    response = client.get("/es/agencies/washington-county-sheriff/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Oficina del sheriff en Hillsboro, Oregon" in html
    assert "<strong>1</strong> despliegue</a>" in html
    assert "<strong>1</strong> NDA</a>" in html
    assert "Sobre esta agencia" in html
    assert "<dt>Jurisdicción</dt><dd>De condado</dd>" in html
    assert "Historial de transparencia" in html
    assert "<dt>Participación pública antes de la adquisición</dt>" in html
    assert ">1 de 1</a>" in html
    assert "About this agency" not in html
    assert "Transparency record" not in html
    # Coordinates keep their decimal point, Spanish or not.
    assert "<dd>45.522894, -122.989827</dd>" in html
    assert "45,522894" not in html


def test_transparency_list_in_spanish(client, sheriff):
    response = client.get("/es/agencies/transparency/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Transparencia de las agencias</h1>" in html
    assert "Solicitudes atendidas por completo</a></th>" in html
    assert 'data-label="Participación pública antes de la adquisición"' in html
    # The figure sorts: "<figure>: most first".
    assert "Mediana de días para responder: mayor primero" in html
    assert "Requests answered in full" not in html


def test_transparency_method_in_spanish(client):
    response = client.get("/es/agencies/transparency/method/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Cómo se calculan las cifras de transparencia</h1>" in html
    assert "Guiones, no ceros" in html
    assert "Dashes, not zeros" not in html
