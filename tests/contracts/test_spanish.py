"""The contract and NDA pages in Spanish (/es/): headings, labels, filters and choices."""

import datetime

import pytest

from tests.factories import AgencyFactory, ContractFactory, NdaFactory, VendorFactory

pytestmark = pytest.mark.django_db


def spanish(client, path):
    # A record's address is in the language active when it is asked for.
    response = client.get(path if path.startswith("/es/") else f"/es{path}")
    assert response.status_code == 200
    return response.content.decode()


def test_contract_list_in_spanish(client):
    ContractFactory(title="Citywide cameras", amount="2500000.00", procurement_method="sole-source")
    page = spanish(client, "/contracts/")
    assert "<h1>Contratos</h1>" in page
    assert "Compras, suscripciones, pruebas gratuitas y donaciones" in page
    assert '<th scope="col">Comprador</th>' in page
    assert '<th scope="col" class="num">Importe</th>' in page
    assert "Adjudicación directa" in page  # the procurement method's choice label
    # The FilterSet's labels, choices and sort options.
    assert "Modalidad de contratación" in page
    assert "Licitación competitiva" in page
    assert "Importe mínimo" in page
    assert "Más recientes primero" in page
    assert "Mayor importe (por moneda)" in page
    assert "Citywide cameras" in page  # record data stays as it is
    for english in ("Buyer", "Procurement method", "Sole source", "Newest first"):
        assert english not in page
    # The amount is text, written the Spanish way.
    assert "2\xa0500\xa0000,00 USD" in page


def test_contract_list_in_english_unchanged(client):
    ContractFactory(procurement_method="sole-source")
    page = client.get("/contracts/").content.decode()
    assert "<h1>Contracts</h1>" in page
    assert "Sole source" in page
    assert "Newest first" in page


def test_contract_detail_in_spanish(client):
    contract = ContractFactory(
        agency=AgencyFactory(name="Orlando Police Department"),
        vendor=VendorFactory(name="Cloud Vendor"),
        title="Free pilot",
        amount=None,
        signed_date=None,
        signed_date_precision="",
        start_date=None,
        start_date_precision="",
    )
    page = spanish(client, contract.get_absolute_url())
    assert "<dt>Comprador</dt>" in page
    assert "<dt>Proveedor</dt>" in page
    assert "<dt>Importe</dt><dd>Se desconoce</dd>" in page
    assert "Inicio desconocido – sin fecha de fin conocida" in page
    assert "Este contrato en el Estándar de Datos de Contrataciones Abiertas (JSON)" in page
    assert "Orlando Police Department</a> y <a" in page
    assert "<dt>Buyer</dt>" not in page
    assert "Unknown start" not in page


def test_nda_pages_in_spanish(client):
    nda = NdaFactory(
        agency=AgencyFactory(name="Washington County Sheriff's Office"),
        counterparty_vendor=VendorFactory(name="Cloud Vendor"),
        signed_date=datetime.date(2017, 3, 1),
    )
    page = spanish(client, "/ndas/")
    assert "<h1>Acuerdos de confidencialidad (NDA)</h1>" in page
    assert '<th scope="col">Citado para negar información</th>' in page
    assert "<strong>Sí</strong>" in page
    assert "Otra agencia" in page  # a choice of the "Signed with" filter
    assert "Non-disclosure agreements" not in page
    detail = spanish(client, nda.get_absolute_url())
    assert "Acuerdo de confidencialidad (NDA) entre Washington County Sheriff" in detail
    assert "La agencia citó este acuerdo para negar información al público." in detail
    assert "<dt>Contraparte</dt>" in detail
    assert "Solicitudes de información pública en las que se citó" in detail
    assert "Counterparty" not in detail


def test_filter_error_in_spanish(client):
    response = client.get("/es/contracts/?amount_min=500&amount_max=100")
    assert response.status_code == 400
    page = response.content.decode()
    assert "El máximo es menor que el mínimo." in page
    assert "The maximum is below the minimum." not in page
