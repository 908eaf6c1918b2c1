"""One log line per request, for operators: method, path, status, duration and the view
that answered; as JSON in production (LOG_FORMAT, README "Logs"), for a log shipper to
read without parsing.

Nothing personal: no client address, no user, no cookie, no header, no query string. The
query string holds what visitors searched for (/search/?q=, a name perhaps) and the
list filters; the view and path say which page was asked for, which is what operations
need. A path whose URL carries a secret (an emailed password-reset or invitation link: a
working credential for days, and a user's id) is logged as its URL pattern instead."""

import logging
import time

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

logger = logging.getLogger(__name__)

# URL keyword arguments that are secrets or name a user (accounts/urls.py).
SECRET_URL_KWARGS = frozenset({"token", "uidb64"})


class JsonFormatter(BaseJsonFormatter):
    """python-json-logger's formatter, which writes every `extra` attribute of a record,
    less the two Django attaches that are not data: `request` (django.request and
    django.security: its text is the full address, query string included) and
    `server_time` (runserver's)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "server_time"])
        super().__init__(*args, **kwargs)


def secret_path_pattern(match, script_prefix):
    """The URL pattern, behind the script prefix, of a page whose address carries a secret
    (match: its ResolverMatch); None for any other page, or no match. The one rule for every
    log that names a page: the request log, Django's own records, CSP reports."""
    if match is not None and SECRET_URL_KWARGS.intersection(match.kwargs):
        return f"{script_prefix.rstrip('/')}/{match.route}"
    return None


def logged_path(request):
    script_prefix = request.path.removesuffix(request.path_info)
    return secret_path_pattern(request.resolver_match, script_prefix) or request.path


class SecretPathFilter(logging.Filter):
    """Django's own records about a request (django.request's "Not Found: <path>",
    django.security's CSRF refusals) name its path: an emailed link's as its pattern there
    too."""

    def filter(self, record):
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path is not None and isinstance(record.args, tuple):
            safe = logged_path(request)
            if safe != path:
                record.args = tuple(safe if arg == path else arg for arg in record.args)
        return True


class RequestLogMiddleware:
    """First in MIDDLEWARE, so that the time covers every other middleware (a page served
    from the page cache, a redirect to HTTPS). The line is written when the server closes
    the response: for a streamed export, once the last row has been sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        close = response.close

        def close_and_log():
            try:
                close()
            finally:
                log_request(request, response, time.perf_counter() - started)

        response.close = close_and_log
        return response


def log_request(request, response, seconds):
    path = logged_path(request)
    duration_ms = round(seconds * 1000, 1)
    match = request.resolver_match
    logger.info(
        "%s %s %s %.1f ms",
        request.method,
        path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            # None when no view ran: a page from the page cache, an unknown address.
            "view": match.view_name if match is not None else None,
        },
    )
