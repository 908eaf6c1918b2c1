"""The records request and response deadline pages in Spanish (/es/)."""

import datetime

import pytest

from tests.factories import (
    AgencyFactory,
    NdaFactory,
    RecordsRequestFactory,
    ResponseDeadlineFactory,
)

pytestmark = pytest.mark.django_db


def spanish(client, path):
    # A record's address is in the language active when it is asked for.
    response = client.get(path if path.startswith("/es/") else f"/es{path}")
    assert response.status_code == 200
    return response.content.decode()


def test_records_request_list_in_spanish(client):
    RecordsRequestFactory(
        status="denied", closed_date=datetime.date(2019, 3, 14), closed_date_precision="day"
    )
    page = spanish(client, "/records-requests/")
    assert "<h1>Solicitudes de información pública</h1>" in page
    assert '<th scope="col">Solicitante</th>' not in page  # not a column; the filter's label
    assert "Solicitante" in page
    assert '<th scope="col">Días abierta / hasta el cierre</th>' in page
    assert "Denegada" in page  # the status's label
    assert "10 días hasta el cierre" in page
    assert "de Example Civil Liberties Union" in page
    assert "Vencida" in page  # a filter's label
    assert "Más tiempo abierta (o hasta su cierre) primero" in page
    for english in ("Denied", "days to close", "Overdue", "Days open / to close"):
        assert english not in page


def test_records_request_detail_in_spanish(client):
    agency = AgencyFactory(name="Seattle Police Department", region="WA")
    ResponseDeadlineFactory(country="US", region="WA", days=5, day_kind="business")
    nda = NdaFactory(agency=agency)
    records_request = RecordsRequestFactory(agency=agency, filed_date=datetime.date.today())
    records_request.ndas_cited.set([nda])
    page = spanish(client, records_request.get_absolute_url())
    assert "Solicitud de información pública a Seattle Police Department" in page
    assert "<dt>Estado</dt><dd>Presentada (abierta)</dd>" in page
    assert "<dt>Fecha límite legal</dt>" in page
    assert "5 días hábiles según" in page
    assert "La agencia citó un acuerdo de confidencialidad (NDA) para negar información." in page
    assert "Documentos entregados" in page
    assert "Legal due date" not in page
    assert "business days" not in page


def test_response_deadline_pages_in_spanish(client):
    deadline = ResponseDeadlineFactory(country="US", region="WA", days=1, day_kind="calendar")
    page = spanish(client, "/response-deadlines/")
    assert "<h1>Plazos de respuesta</h1>" in page
    assert "1 día natural" in page
    assert "Menos días" in page  # a sort option
    detail = spanish(client, deadline.get_absolute_url())
    expected = "<dt>Plazo de respuesta</dt><dd>1 día natural después de presentada la solicitud"
    assert expected in detail
    assert "Response time" not in detail


def test_agency_page_requests_in_spanish(client):
    agency = AgencyFactory()
    RecordsRequestFactory(agency=agency)
    RecordsRequestFactory(agency=agency)
    page = spanish(client, agency.get_absolute_url())
    assert "2 solicitudes de información pública</a> a esta agencia." in page
    assert "records requests</a> to this agency" not in page
