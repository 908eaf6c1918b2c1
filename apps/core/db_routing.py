"""Read-only public traffic on a PostgreSQL read replica (DATABASE_REPLICA_URL).

Installed by the settings only when a replica is configured. The rule is narrow on purpose,
because a replica lags the primary: a request may read from the replica only when it carries
no session cookie (so nobody is signed in: sessions are the only way to sign in) and uses a
safe method (GET, HEAD, OPTIONS). Everything else stays on the primary: every signed-in
editor's and reviewer's page (they must see what they just saved), every form sent, every
read inside a transaction or after a write in the same request, management commands and
anything else outside a request.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _RequestReads:
    """A request allowed to read from the replica, until it writes."""

    def __init__(self):
        self.wrote = False


# Set per request by ReplicaRequestMiddleware. Left set while a streaming response (an
# export) is being sent, which happens after the middleware returns; cleared when the
# response is closed (request_finished).
_replica_reads = ContextVar("replica_reads", default=None)


class ReplicaRouter:
    """Reads of a request that ReplicaRequestMiddleware let through go to the replica;
    every other query, and every migration, to the primary."""

    def db_for_read(self, model, **hints):
        reads = _replica_reads.get()
        if reads is None or reads.wrote or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # Explicit, not None: Django would otherwise read related rows from wherever
            # the instance in the hints came from, the replica included.
            return DEFAULT_DB_ALIAS
        return REPLICA_DB_ALIAS

    def db_for_write(self, model, **hints):
        reads = _replica_reads.get()
        if reads is not None:
            # Read your writes: what follows in this request reads from the primary.
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        aliases = {DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        # The replica follows the primary's schema through replication.
        return db == DEFAULT_DB_ALIAS


def may_read_from_replica(request):
    return request.method in SAFE_METHODS and settings.SESSION_COOKIE_NAME not in request.COOKIES


class ReplicaRequestMiddleware:
    """Marks the requests whose reads may go to the replica (see the module's docstring).
    The decision reads the cookie, not request.user, so it costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Set on every request, so a thread that served another request before starts clean.
        _replica_reads.set(_RequestReads() if may_read_from_replica(request) else None)
        return self.get_response(request)


def end_request(**kwargs):
    _replica_reads.set(None)


request_finished.connect(end_request, dispatch_uid="replica_reads_end")
