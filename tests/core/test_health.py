"""/healthz (apps/core/health.py): 200 when the default database answers and every
migration is applied, 503 naming the failed check otherwise; never cached, never a trace."""

import pytest
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from apps.core import health, page_cache

pytestmark = pytest.mark.django_db

HEALTHY = {"status": "ok", "database": "ok", "migrations": "ok"}


@pytest.fixture(autouse=True)
def _migrations_not_yet_read(monkeypatch):
    # Each test starts as a fresh process would: the migrations not yet found applied.
    monkeypatch.setattr(health._Migrations, "all_applied", False)


def probe(method="get"):
    return getattr(Client(), method)("/healthz")


def unhealthy(response):
    """The body of a 503."""
    assert response.status_code == 503
    return response.json()


def test_a_migrated_database_is_healthy():
    response = probe()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == HEALTHY


def test_never_stored_by_a_browser_or_a_proxy():
    cache_control = {part.strip() for part in probe()["Cache-Control"].split(",")}
    assert "no-store" in cache_control
    assert "public" not in cache_control


def test_head_answers_without_a_body():
    response = probe("head")
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("method", ["post", "put", "delete", "options"])
def test_other_methods_are_refused(method):
    response = probe(method)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_a_post_without_a_csrf_token_is_refused_as_a_method_not_a_forgery():
    assert Client(enforce_csrf_checks=True).post("/healthz").status_code == 405


def failing_cursor(*args, **kwargs):
    raise OperationalError('connection to server at "10.0.0.5" failed: password for "tracker"')


def test_an_unreachable_database_is_503_without_the_error_text(monkeypatch, caplog):
    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "cursor", failing_cursor)
    response = probe()
    assert unhealthy(response) == {
        "status": "error",
        "database": "unreachable",
        "migrations": "unknown",
    }
    assert b"10.0.0.5" not in response.content
    assert b"Traceback" not in response.content
    assert "no-store" in response["Cache-Control"]
    # The operator finds the reason in the log.
    assert "10.0.0.5" in caplog.text


def test_a_failure_while_reading_the_migrations_is_an_unreachable_database(monkeypatch):
    def failing_plan(self, targets):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(MigrationExecutor, "migration_plan", failing_plan)
    assert unhealthy(probe())["database"] == "unreachable"


def pending_plan(count):
    def plan(self, targets):
        return [(object(), False)] * count

    return plan


def test_pending_migrations_are_503_with_their_count(monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", pending_plan(2))
    assert unhealthy(probe()) == {
        "status": "error",
        "database": "ok",
        "migrations": "pending",
        "pending_migrations": 2,
    }


def test_healthy_once_the_pending_migrations_are_applied(monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", pending_plan(1))
    assert probe().status_code == 503
    monkeypatch.undo()
    assert probe().status_code == 200


def test_migrations_found_applied_are_not_read_again(monkeypatch):
    assert probe().status_code == 200
    monkeypatch.setattr(MigrationExecutor, "migration_plan", pending_plan(1))
    assert probe().json() == HEALTHY


def test_the_database_is_asked_at_every_probe(monkeypatch):
    assert probe().status_code == 200
    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "cursor", failing_cursor)
    assert probe().status_code == 503


def test_the_page_cache_never_answers_it(settings, monkeypatch):
    settings.PAGE_CACHE = True
    caches[page_cache.CACHE_ALIAS].clear()
    first = probe()
    assert first.status_code == 200
    assert "ETag" not in first
    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "cursor", failing_cursor)
    assert probe().status_code == 503
