"""The tip form in Spanish, in a real browser: someone reads the form under /es/, sends it
once with a field missing, reads the Spanish error, fills it in and lands on the Spanish
thank-you page."""

import re

import pytest
from playwright.sync_api import expect

from apps.tips.models import Tip

from .conftest import csp_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AGENCY = "Oficina del Sheriff del Condado de Washington"


def test_a_tip_sent_in_spanish(page, screenshot_dir):
    page.goto("/es/submit/")
    expect(page).to_have_title(re.compile(r"^Enviar un aviso"))
    expect(page.get_by_role("heading", level=1, name="Enviar un aviso")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")

    page.get_by_label("¿Qué tecnología?").fill("Reconocimiento facial")
    page.get_by_label("Estado o región").fill("OR")
    page.get_by_label("¿Cuándo?").fill("2017")
    page.get_by_label("¿Qué sabe?").fill("La oficina del sheriff compara fotos con un servicio.")
    page.get_by_label("Enlace a una fuente").fill("https://noticias.example.org/sheriff")
    page.get_by_role("button", name="Enviar el aviso").click()

    # The agency was left out: the form comes back, in Spanish, with what was typed.
    expect(page.get_by_text("Su aviso todavía no se ha enviado.")).to_be_visible()
    expect(page.locator("#id_agency_name_error")).to_have_text("Este campo es requerido.")
    expect(page.get_by_label("¿Qué tecnología?")).to_have_value("Reconocimiento facial")
    page.screenshot(path=screenshot_dir / "tip-spanish-error.png", full_page=True)
    assert Tip.objects.count() == 0

    page.get_by_label("¿Qué agencia?").fill(AGENCY)
    page.get_by_role("button", name="Enviar el aviso").click()
    expect(page.get_by_role("heading", level=1, name="Gracias por su aviso")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/es/submit/thanks/$"))
    expect(page.get_by_role("link", name="Enviar otro aviso")).to_be_visible()
    page.screenshot(path=screenshot_dir / "tip-spanish-thanks.png", full_page=True)
    assert Tip.objects.get().agency_name == AGENCY
    assert csp_violations(page) == []
