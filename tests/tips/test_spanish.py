"""The tip form, its refusals, its thank-you page and the reviewers' queue in Spanish (/es/)."""

import pytest
from django.utils import translation

from apps.tips.models import Tip, TipStatus
from tests.factories import TipFactory, sign_in, technology

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request under /es/ leaves Spanish active in the test's thread (LocaleMiddleware
    activates a language and nothing resets it): back to the default after each test, so
    that the tests after these still reverse English addresses."""
    yield
    translation.deactivate()


def test_the_tip_form_reads_in_spanish(client):
    technology("face-recognition")
    response = client.get("/es/submit/")
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es"' in content
    # Title, heading, introduction, section legends, labels, help texts and the button.
    assert "<title>Enviar un aviso" in content
    assert "<h1>Enviar un aviso</h1>" in content
    assert "No necesita una cuenta." in content
    assert "<legend>Qué</legend>" in content and "<legend>Quién y dónde</legend>" in content
    assert "<legend>Cuándo, y qué sabe</legend>" in content
    assert "<legend>Seguimiento (opcional)</legend>" in content
    for label in (
        "¿Qué tecnología?",
        "Tecnología, si es una de estas",
        "¿Qué agencia?",
        "Ciudad o condado",
        "Estado o región",
        "¿Cuándo?",
        "¿Qué sabe?",
        "Enlace a una fuente (opcional, pero ayuda mucho)",
        "Su correo electrónico (opcional, se mantiene privado)",
    ):
        assert f">{label}</label>" in content, label
    assert "No estoy seguro, o no está en esta lista" in content
    # The privacy notice and the length limit, the number written the Spanish way.
    assert "Solo lo ven los revisores, para hacerle una pregunta de seguimiento." in content
    assert "Nunca se publica." in content
    assert "Hasta 5" in content and "000 caracteres." in content
    assert "5,000" not in content
    # The honeypot's label too (screen readers never reach it, but a person might see it).
    assert "Deje este campo vacío" in content
    assert '<button type="submit">Enviar el aviso</button>' in content
    for english in ("What technology?", "Which agency?", "Send the tip", "kept private"):
        assert english not in content


def test_english_stays_at_the_plain_address(client):
    content = client.get("/submit/").content.decode()
    assert "What technology?" in content and "Send the tip" in content
    assert "¿Qué tecnología?" not in content


def test_a_tip_with_errors_comes_back_with_spanish_errors(client, tip_data):
    tip_data.update(technology_text="", technology="", agency_name="", source_url="not a link")
    response = client.post("/es/submit/", tip_data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Su aviso todavía no se ha enviado." in content
    assert (
        "Indique qué tecnología es, con sus propias palabras o eligiendo una de la lista."
        in content
    )
    # Django's own catalogue.
    assert "Este campo es requerido." in content and "Introduzca una URL válida." in content
    assert "Say what technology it is" not in content
    assert "This field is required." not in content
    # What the person typed is kept.
    assert "Records show the sheriff" in content
    assert Tip.objects.count() == 0


def test_a_tip_sent_in_spanish_leads_to_the_spanish_thank_you_page(client, tip_data):
    response = client.post("/es/submit/", tip_data)
    assert response.status_code == 302
    assert response["Location"] == "/es/submit/thanks/"
    assert Tip.objects.get().agency_name == "Washington County Sheriff's Office"

    thanks = client.get(response["Location"])
    content = thanks.content.decode()
    assert thanks.status_code == 200
    assert "<h1>Gracias por su aviso</h1>" in content
    assert "Un revisor lo examinará." in content
    assert "La dirección nunca se publica." in content
    assert "Enviar otro aviso" in content and 'href="/es/submit/"' in content
    assert "Thank you for your tip" not in content


def test_a_robot_refusal_reads_in_spanish(client, tip_data):
    tip_data["reference_code"] = "SPAM-123"
    response = client.post("/es/submit/", tip_data)
    content = response.content.decode()
    assert response.status_code == 400
    assert "No se pudo aceptar su aviso" in content
    assert "parecía automatizado" in content
    assert Tip.objects.count() == 0


def test_the_rate_limit_page_reads_in_spanish(client, tip_data, settings):
    settings.TIP_RATE = "1/h"
    assert client.post("/es/submit/", tip_data, REMOTE_ADDR="198.51.100.9").status_code == 302
    response = client.post("/es/submit/", tip_data, REMOTE_ADDR="198.51.100.9")
    content = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Demasiados avisos</h1>" in content
    assert "Demasiados avisos desde su conexión; inténtelo de nuevo más tarde." in content
    assert "una conexión puede enviar 1 por hora." in content
    assert "Volver al formulario de avisos" in content
    assert "Too many tips" not in content


def test_the_rate_in_words_for_several_units(client, tip_data, settings):
    settings.TIP_RATE = "1/2h"
    client.post("/es/submit/", tip_data, REMOTE_ADDR="198.51.100.7")
    content = client.post("/es/submit/", tip_data, REMOTE_ADDR="198.51.100.7").content.decode()
    assert "1 cada 2 horas" in content


def test_the_reviewers_queue_reads_in_spanish(client, reviewer):
    tip = TipFactory(technology_text="", technology=None, agency_name="First Agency")
    sign_in(client, reviewer)
    response = client.get("/es/submit/review/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Avisos del público</h1>" in content
    assert f"Aviso n.º {tip.pk}: Tecnología sin nombre en First Agency" in content
    assert "Correo de contacto" in content and "(privado: nunca lo publique)" in content
    assert "Empezar un despliegue a partir de este aviso" in content
    assert ">Marcar como atendido</button>" in content and ">Descartar</button>" in content
    assert "Mark handled" not in content

    response = client.post(
        f"/es/submit/review/{tip.pk}/handle/", {"next": "/es/submit/review/"}, follow=True
    )
    content = response.content.decode()
    assert f"Aviso n.º {tip.pk} marcado como atendido." in content
    assert "No hay avisos abiertos." in content
    tip.refresh_from_db()
    assert tip.status == TipStatus.HANDLED

    response = client.post(
        f"/es/submit/review/{tip.pk}/dismiss/", {"next": "/es/submit/review/"}, follow=True
    )
    assert f"El aviso n.º {tip.pk} ya estaba atendido." in response.content.decode()


def test_starting_a_deployment_from_a_tip_reads_in_spanish(client, reviewer):
    tip = TipFactory()
    closed = TipFactory(status=TipStatus.DISMISSED, handled_by=reviewer, reviewer_note="Spam")
    sign_in(client, reviewer)
    content = client.get(f"/es/deployments/new/?tip={tip.pk}").content.decode()
    assert f"Iniciado a partir del aviso n.º {tip.pk}." in content
    assert f"Started from tip #{tip.pk}" not in content

    content = client.get(f"/es/deployments/new/?tip={closed.pk}").content.decode()
    assert f"El aviso n.º {closed.pk} ya fue descartado por {reviewer.public_name}" in content
    assert "“Spam”." in content and "El formulario empieza vacío" in content
