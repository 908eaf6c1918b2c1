"""/healthz, for load balancers and uptime monitors: 200 when this process can serve, 503
when it cannot, with a small JSON body saying which check failed.

Two checks, on the default database (never the replica: writes and sessions need the
primary): it answers a trivial query, and every migration on disk is applied (new code
started against an old schema fails on the first page that reads a new column). Nothing
personal and no error text goes out: the body is fixed words and a count; the operator
finds the error itself in the log. Never cached: `never_cache` sets `no-store`, which also
keeps it out of the page cache (apps/core/page_cache.py lists /healthz as private too)."""

import logging

from django.db import DEFAULT_DB_ALIAS, Error, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)


class _Migrations:
    # Reading the migration graph takes about 10 ms (a thousand probes an hour across the
    # workers add up). Migrations are never unapplied under a running process, so once all
    # were found applied, later probes of this process skip the reading.
    all_applied = False


def check_database():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def pending_migrations():
    """How many migrations on disk the default database has not applied."""
    if _Migrations.all_applied:
        return 0
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _Migrations.all_applied = pending == 0
    return pending


def health():
    """(healthy, the body to send)."""
    try:
        check_database()
        pending = pending_migrations()
    except Error as exc:
        # The message only: a traceback of a known outage would bury the first line that
        # matters, and it repeats at every probe.
        logger.warning("Health check: the database cannot be reached: %s", exc)
        return False, {"status": "error", "database": "unreachable", "migrations": "unknown"}
    if pending:
        logger.warning("Health check: %d migrations not applied", pending)
        return False, {
            "status": "error",
            "database": "ok",
            "migrations": "pending",
            "pending_migrations": pending,
        }
    return True, {"status": "ok", "database": "ok", "migrations": "ok"}


# csrf_exempt: a POST is answered 405 (what it is), not the CSRF failure page.
@method_decorator([csrf_exempt, never_cache], name="dispatch")
class HealthView(View):
    http_method_names = ["get", "head"]

    def get(self, request):
        healthy, body = health()
        return JsonResponse(body, status=200 if healthy else 503)
