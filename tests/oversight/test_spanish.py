"""The oversight pages in Spanish (/es/): headings, labels, kinds, outcomes, the tally."""

import datetime

import pytest

from tests.factories import AgencyFactory, DeploymentFactory, OversightEventFactory

pytestmark = pytest.mark.django_db


def spanish(client, path):
    # A record's address is in the language active when it is asked for.
    response = client.get(path if path.startswith("/es/") else f"/es{path}")
    assert response.status_code == 200
    return response.content.decode()


def test_oversight_list_in_spanish(client):
    OversightEventFactory(agency=AgencyFactory(name="Oakland City Council"))
    OversightEventFactory(finding=True, occurred_date=datetime.date(2020, 1, 2))
    page = spanish(client, "/oversight/")
    assert "<h1>Actuaciones de supervisión</h1>" in page
    assert '<th scope="col">Agencia u órgano</th>' in page
    assert '<th scope="col">El público pudo opinar</th>' in page
    assert "Votación del concejo / la junta" in page  # the kind's label
    assert "No se encontró proceso público" in page
    assert "Aprobado, 5 a favor, 2 en contra" in page  # outcome and tally
    assert "Tipo de actuación" in page  # a filter's label
    assert "Más recientes primero" in page
    assert "Oakland City Council" in page
    for english in ("Agency or body", "Council / board vote", "5 for", "Kind of event"):
        assert english not in page


def test_oversight_list_tally_in_english_unchanged(client):
    OversightEventFactory()
    page = client.get("/oversight/").content.decode()
    assert "Approved, 5 for, 2 against" in page


def test_oversight_detail_in_spanish(client):
    event = OversightEventFactory(abstentions=1)
    page = spanish(client, event.get_absolute_url())
    assert "<dt>Agencia u órgano de gobierno</dt>" in page
    assert "<dt>Resultado</dt><dd>Aprobado</dd>" in page
    assert "<dt>Votación</dt><dd>5 a favor, 2 en contra, 1 abstenciones\n</dd>" in page
    assert "<dt>El público pudo opinar</dt>" in page
    assert "Outcome" not in page


def test_finding_in_spanish(client):
    finding = OversightEventFactory(finding=True, occurred_date=datetime.date(2020, 1, 2))
    page = spanish(client, finding.get_absolute_url())
    assert "<dt>Investigado</dt>" in page
    assert "no encontró ningún proceso público para aquello a lo que se refiere" in page
    assert "found no public process" not in page


def test_deployment_process_in_spanish(client):
    deployment = DeploymentFactory()
    OversightEventFactory(agency=deployment.agency, deployments=[deployment])
    page = spanish(client, deployment.get_absolute_url())
    assert '<h2 id="process-heading">Proceso público</h2>' in page
    assert "El público pudo opinar:" in page
    assert "Public could comment" not in page
