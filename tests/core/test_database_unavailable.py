"""A request that fails because the database cannot be reached (apps/core/unavailable.py,
config/urls.py's handler500): 503 with Retry-After and a plain page (JSON under /api/), in a
view or in a middleware, never a traceback, never stored by the page cache; any other error
still gets the 500 page."""

import logging
from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from apps.core import page_cache
from tests.factories import DeploymentFactory

pytestmark = pytest.mark.django_db

TEXT = "The database is briefly unavailable; try again in a few seconds"
REFUSED = 'connection failed: connection to server at "127.0.0.1", port 5432 failed: refused'


@contextmanager
def database_away(error=OperationalError):
    """Every query fails as it does while PostgreSQL restarts."""
    with mock.patch.object(CursorWrapper, "execute", side_effect=error(REFUSED)):
        yield


def visit(url, **kwargs):
    # The test client re-raises a view's exception by default; a browser gets the response.
    return Client(raise_request_exception=False).get(url, **kwargs)


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in cache_control(response)
    assert "public" not in cache_control(response)
    body = response.content.decode()
    assert "Traceback" not in body and "OperationalError" not in body
    assert "5432" not in body
    return body


@pytest.fixture
def deployment():
    return DeploymentFactory()


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_answers_503_with_the_plain_page(deployment, error):
    with database_away(error):
        response = visit("/deployments/")
    body = assert_unavailable(response)
    assert response["Content-Type"].startswith("text/html")
    assert TEXT in body
    assert "<h1>Briefly unavailable</h1>" in body
    assert "css/error.css" in body
    assert " style=" not in body and "<style" not in body and "<script" not in body


def test_a_detail_page_too(deployment):
    with database_away():
        response = visit(deployment.get_absolute_url())
    assert TEXT in assert_unavailable(response)


def test_the_api_answers_503_in_json(deployment):
    with database_away():
        response = visit("/api/v1/deployments/")
    assert_unavailable(response)
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": TEXT + "."}


def test_a_failure_in_a_middleware_loading_the_session_is_a_503(deployment):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    with mock.patch.object(SessionStore, "load", side_effect=OperationalError(REFUSED)):
        response = client.get("/deployments/")
    assert TEXT in assert_unavailable(response)


def test_logged_as_one_warning_without_a_traceback(deployment, caplog):
    with caplog.at_level(logging.INFO), database_away():
        visit("/deployments/")
    unavailable = [r for r in caplog.records if r.name == "apps.core.unavailable"]
    assert [r.levelno for r in unavailable] == [logging.WARNING]
    assert "database is unavailable" in unavailable[0].getMessage()
    assert "OperationalError" in unavailable[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_the_503_is_not_stored_by_the_page_cache(deployment, settings):
    settings.PAGE_CACHE = True
    caches[page_cache.CACHE_ALIAS].clear()
    try:
        with database_away():
            assert_unavailable(visit("/deployments/"))
        # The database is back: the page is rendered, not the 503 served from the cache.
        response = visit("/deployments/")
        assert response.status_code == 200
        assert deployment.agency.name in response.content.decode()
    finally:
        caches[page_cache.CACHE_ALIAS].clear()


def test_any_other_error_is_still_the_500_page(deployment):
    with mock.patch.object(CursorWrapper, "execute", side_effect=ValueError("a bug")):
        response = visit("/deployments/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert TEXT not in body and "Retry-After" not in response


def test_an_error_raised_while_handling_a_database_error_is_a_503_too(deployment):
    def fails(*args, **kwargs):
        try:
            raise OperationalError(REFUSED)
        except OperationalError as exc:
            raise RuntimeError("rendering failed") from exc

    with mock.patch.object(CursorWrapper, "execute", side_effect=fails):
        response = visit("/deployments/")
    assert TEXT in assert_unavailable(response)


def test_a_session_that_could_not_be_saved_is_a_503_not_a_400(volunteer_client, deployment):
    # The session middleware turns the failed UPDATE into SessionInterrupted (a 400).
    volunteer_client.raise_request_exception = False
    session = volunteer_client.session
    with mock.patch.object(type(session), "save", side_effect=_interrupted):
        response = volunteer_client.get("/deployments/")
    assert TEXT in assert_unavailable(response)


def _interrupted(*args, **kwargs):
    # As the database session backend's save() does: UpdateError while handling the error.
    try:
        raise OperationalError(REFUSED)
    except OperationalError:
        raise UpdateError  # noqa: B904


def test_any_other_bad_request_is_still_a_400(client):
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="not-allowed.example")
    assert response.status_code == 400
    assert TEXT not in response.content.decode()
