"""The error handlers (`handler500` and `handler400` in config/urls.py): a request that
failed because the database could not be reached gets a 503 that says so, not the 500
page.

PostgreSQL restarting (an upgrade, a failover, a crash) makes every query of the moment
raise django.db.OperationalError or InterfaceError, in a view or in a middleware (loading
the session, the signed-in user); Django turns any of them into a call of `handler500`,
with the exception still being handled (sys.exc_info()). This handler then answers 503 with
`Retry-After`, a short page (templates/core/database_unavailable.html: no database, no
context processors, the error page's stylesheet) or, under /api/, JSON in the API's error
shape; never a traceback.
Any other error goes to Django's own 500 handler (templates/500.html). `handler400` does the
same for the 400 Django answers when the session could not be saved (SessionInterrupted,
raised from the database's error): a 503 too.

The 503 is marked `no-store` (and the page cache only ever stores a 200), so a browser or
a CDN asks again rather than keeping it. It is logged as one WARNING line with the error's
message and no traceback, like /healthz's (apps/core/health.py): a traceback per request
of a known outage would bury the line that matters. Django's own "Service Unavailable"
record, traceback included, is skipped for these responses only."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
MESSAGE = "The database is briefly unavailable; try again in a few seconds."  # the API's
API_PREFIX = "/api/"


def database_error(exc):
    """The database error in `exc` or in what it was raised from or while handling (a
    template or a serializer may wrap the error), or None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def unavailable_response(request):
    """The 503 of a request the database could not answer."""
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse({"detail": MESSAGE}, status=503)
    else:
        page = loader.get_template("core/database_unavailable.html").render(
            {
                "message": _("The database is briefly unavailable; try again in a few seconds."),
                "retry_after": RETRY_AFTER_SECONDS,
            }
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def _unavailable(request, error):
    # The first line of the message: psycopg's later lines repeat the address.
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    logger.warning(
        "The database is unavailable: answered 503 (%s: %s)", type(error).__name__, reason
    )
    response = unavailable_response(request)
    # Django's log_response() would log it again, with the traceback.
    response._has_been_logged = True
    return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a 503 when the database is away, Django's 500 page otherwise."""
    error = database_error(sys.exc_info()[1])
    if error is None:
        return defaults.server_error(request, template_name)
    return _unavailable(request, error)


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    """handler400: a 503 when the 400 comes of the database being away, Django's 400 page
    otherwise. The session middleware turns a session it could not save (the database
    refused the UPDATE) into SessionInterrupted, a 400 "the session was deleted"."""
    error = database_error(exception)
    if error is None:
        return defaults.bad_request(request, exception, template_name)
    return _unavailable(request, error)
