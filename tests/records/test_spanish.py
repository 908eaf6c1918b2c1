"""The shared record machinery speaks Spanish under /es/: the edit form's source fields and
their errors, the refusals of the services and of merging, the kinds of change; what is
stored (history summaries, the audit log) stays English."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.records.fields import parse_pinpoint
from apps.records.merging import merge_records
from apps.records.models import ChangeAction, ChangeRequest, ChangeStatus
from apps.records.services import record_set_visibility
from tests.editing.test_record_forms_editing import edit_data
from tests.factories import AgencyFactory, DeploymentFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request under /es/ leaves Spanish active in the test's thread (LocaleMiddleware
    activates a language and nothing resets it): back to the default after each test, so
    that the tests after these still reverse English addresses."""
    yield
    translation.deactivate()


def messages_of(error):
    return " ".join(error.value.messages)


def test_the_edit_form_labels_and_source_errors_read_in_spanish(reviewer_client):
    source = SourceFactory()
    deployment = DeploymentFactory(sources=[source])
    url = f"/es/deployments/{deployment.pk}/edit/"
    page = reviewer_client.get(url)
    content = page.content.decode()
    assert page.status_code == 200
    assert "Fuentes que ya están en el registro" in content
    assert "Resumen de la edición" in content
    assert "Sources already in the registry" not in content

    data = edit_data(
        reviewer_client,
        url,
        sources=f"#{source.pk} chapter four\nhttps://nowhere.example.org/missing",
        edit_summary="Prueba",
    )
    content = reviewer_client.post(url, data).content.decode()
    assert "“chapter four” no es una página y una cita." in content
    assert "No está en el registro: https://nowhere.example.org/missing." in content
    assert "Not in the registry" not in content


def test_pinpoint_errors_in_spanish_and_english():
    with translation.override("es"), pytest.raises(ValidationError) as error:
        parse_pinpoint("p. 0")
    assert "Una página es un número del 1 al" in messages_of(error)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        parse_pinpoint("p. 0")
    assert "A page is a number from 1 to" in messages_of(error)


def test_kinds_of_change_and_their_status_are_translated():
    with translation.override("es"):
        assert str(ChangeAction.CREATE.label) == "Registro nuevo"
        assert str(ChangeStatus.PENDING.label) == "Pendiente de revisión"
    with translation.override("en"):
        assert str(ChangeAction.CREATE.label) == "New record"


def test_a_refused_restore_says_why_in_spanish_and_the_history_stays_english(reviewer):
    agency = AgencyFactory()
    with translation.override("es"):
        with pytest.raises(ValidationError) as error:
            record_set_visibility(
                record=agency, visibility="published", reviewer=reviewer, reason="x"
            )
        assert messages_of(error) == "Solo se puede restaurar un registro retirado."
        change = record_set_visibility(
            record=agency, visibility="withdrawn", reviewer=reviewer, reason="Duplicado"
        )
    # What is stored is written in English whatever the reviewer reads the site in.
    assert ChangeRequest.objects.get(pk=change.pk).summary == "Withdraw: Duplicado"


def test_a_refused_merge_says_why_in_spanish(reviewer):
    agency = AgencyFactory()
    with translation.override("es"), pytest.raises(ValidationError) as error:
        merge_records(duplicate=agency, survivor=agency, reviewer=reviewer, reason="")
    assert "no puede fusionarse consigo mismo" in messages_of(error)
