"""The editing pages in Spanish, under /es/: a record's history, recent changes, the record
form of a signed-in volunteer and the review queue; numbers in attributes stay unlocalized."""

import pytest
from django.test import Client
from django.utils.timezone import now

from apps.records.models import ChangeRequest
from tests.factories import AgencyFactory, ContractFactory, DeploymentFactory, sign_in

pytestmark = pytest.mark.django_db


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def test_history_in_spanish(reviewer_client):
    agency = AgencyFactory(name="Oficina del Sheriff")
    agency.name = "Oficina del Sheriff del Condado"
    agency.save()
    content = page(reviewer_client, f"/es/agencies/{agency.slug}/history/")
    assert '<html lang="es"' in content
    assert "<h1>Historial de Oficina del Sheriff del Condado</h1>" in content
    assert "Versiones, de la más reciente a la más antigua." in content
    assert "Comparar las versiones elegidas" in content
    assert "Herramientas de revisión" in content
    assert "(actual)" in content
    assert "Compare selected versions" not in content
    assert "History of" not in content
    # Version numbers in form values stay plain numbers.
    assert 'name="new" value="2"' in content

    content = page(reviewer_client, f"/es/agencies/{agency.slug}/history/?old=1&new=2")
    assert "Diferencias entre la versión 1 y la versión 2" in content
    assert "Versión 1" in content  # the diff table's column, from the view


def test_recent_changes_in_spanish(reviewer, volunteer):
    record = DeploymentFactory()
    ChangeRequest.objects.create(
        record=record,
        action="update",
        author=volunteer,
        summary="Fixed the date",
        status="approved",
        reviewer=reviewer,
        reviewed_at=now(),
    )
    content = page(Client(), "/es/changes/")
    assert "<h1>Cambios recientes</h1>" in content
    assert "Aprobado por" in content
    assert "feed Atom de cambios recientes" in content
    assert "Approved by" not in content
    assert "Vera Volunteer" in content and "Fixed the date" in content


def test_recent_changes_empty_in_spanish(db):
    content = page(Client(), "/es/changes/")
    assert "Todavía no se ha publicado ningún cambio." in content
    assert "No changes have been published yet." not in content


def test_volunteer_record_form_in_spanish(volunteer_client):
    contract = ContractFactory(amount="12000.50")
    content = page(volunteer_client, f"/es/contracts/{contract.pk}/edit/")
    assert "Un revisor comprobará su edición antes de que aparezca en el sitio público." in content
    assert "<legend>Sobre su cambio</legend>" in content
    assert "<legend>Fuentes</legend>" in content
    assert "Enviar a revisión" in content
    assert "Cancelar" in content
    assert "Submit for review" not in content
    assert "About your change" not in content
    # The amount goes back to the server as typed: never "12000,50".
    assert 'value="12000.50"' in content
    assert "12000,50" not in content


def test_volunteer_new_record_form_in_spanish(volunteer_client):
    content = page(volunteer_client, "/es/deployments/new/")
    assert "Un revisor comprobará su nuevo registro" in content
    assert "Agregar una nueva fuente" in content
    assert "<legend>Add a new source</legend>" not in content


def test_review_queue_and_change_in_spanish(client, reviewer, volunteer):
    change = ChangeRequest.objects.create(
        record=DeploymentFactory(), action="update", author=volunteer, summary="Fecha"
    )
    sign_in(client, reviewer)
    content = page(client, "/es/review/")
    assert "<h1>Cola de revisión</h1>" in content
    assert "1 cambio pendiente, del más antiguo al más reciente," in content
    assert "Rechazar con un motivo…" in content
    assert "Nothing is waiting for review." not in content

    content = page(client, f"/es/changes/{change.pk}/")
    assert "Aprobar y publicar" in content
    assert "Motivo (el autor lo verá)" in content
    assert "Approve and publish" not in content


def test_my_contributions_in_spanish(volunteer_client):
    content = page(volunteer_client, "/es/contributions/")
    assert "<h1>Mis contribuciones</h1>" in content
    assert "Esperando revisión" in content
    assert "Waiting for review" not in content
