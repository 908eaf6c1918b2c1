"""The account pages in Spanish, under /es/: sign-in, password reset, profile, invitations
and the lockout page, with the invitation email in the language of the page that sent it."""

import datetime

import pytest
from django.core import mail
from django.utils import translation

from apps.accounts.templatetags.accounts_tags import duration_words
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def test_login_page_in_spanish(client):
    content = page(client, "/es/accounts/login/")
    assert '<html lang="es"' in content
    assert "<h1>Iniciar sesión</h1>" in content
    assert "Las cuentas son por invitación" in content
    assert "¿Olvidó su contraseña?" in content
    assert "Forgot your password?" not in content
    assert "Accounts are by invitation" not in content


def test_login_page_stays_english_without_the_prefix(client):
    content = page(client, "/accounts/login/")
    assert "<h1>Sign in</h1>" in content
    assert "Iniciar sesión" not in content.split("<main", 1)[-1]


def test_password_reset_pages_in_spanish(client):
    content = page(client, "/es/accounts/password/reset/")
    assert "<h1>Restablecer su contraseña</h1>" in content
    assert "Enviarme un enlace de restablecimiento" in content
    assert "Email me a reset link" not in content

    content = page(client, "/es/accounts/password/reset/sent/")
    assert "<h1>Revise su correo electrónico</h1>" in content
    assert "Check your email" not in content


def test_password_reset_email_in_spanish(client, volunteer):
    response = client.post("/es/accounts/password/reset/", {"email": volunteer.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject.startswith("Restablezca su contraseña de ")
    assert "Hola, Vera Volunteer:" in message.body
    assert "/es/accounts/password/reset/" in message.body
    assert "Someone asked" not in message.body


def test_profile_in_spanish(client, volunteer):
    client.force_login(volunteer)
    content = page(client, "/es/accounts/profile/")
    assert "<h1>Su cuenta</h1>" in content
    assert "<dd>Voluntario(a)</dd>" in content
    assert "Guardar el nombre público" in content
    assert "Cerrar sesión" in content
    assert "Save display name" not in content
    assert "Nombre público" in content  # the form's label, from forms.py


def test_invitations_page_and_email_in_spanish(client, reviewer):
    sign_in(client, reviewer)
    content = page(client, "/es/accounts/invitations/")
    assert "<h1>Invitaciones</h1>" in content
    assert "Enviar invitación" in content
    assert "Dirección de correo electrónico" in content
    assert "Todavía no hay invitaciones." in content
    assert "Send invitation" not in content

    response = client.post(
        "/es/accounts/invitations/", {"email": "nueva@example.org", "role": "volunteer"}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject.startswith("Lo invitamos a ayudar a editar ")
    assert "lo invitó a unirse a" in message.body
    assert "como voluntario(a)." in message.body
    assert "has invited you" not in message.body

    content = page(client, "/es/accounts/invitations/")
    assert "Invitación enviada a nueva@example.org." in content
    assert "Pendiente" in content


def test_duration_words_in_spanish():
    with translation.override("es"):
        assert duration_words(datetime.timedelta(hours=1)) == "1 hora"
        assert duration_words(datetime.timedelta(minutes=30)) == "30 minutos"
        assert duration_words(datetime.timedelta(seconds=10)) == "un minuto"
    with translation.override("en"):
        assert duration_words(datetime.timedelta(days=2)) == "2 days"


def test_lockout_page_in_spanish(client, volunteer):
    for _ in range(5):
        client.post("/es/accounts/login/", {"username": "vera", "password": "wrong"})

    response = client.post("/es/accounts/login/", {"username": "vera", "password": "wrong"})

    assert response.status_code == 429
    content = response.content.decode()
    assert "Inicio de sesión bloqueado temporalmente" in content
    assert "Demasiados intentos fallidos de iniciar sesión para “vera”." in content
    assert "Vuelva a intentarlo dentro de 1 hora" in content
    assert 'href="/es/accounts/password/reset/"' in content
    assert "Too many failed sign-in attempts" not in content
