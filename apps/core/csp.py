"""The Content-Security-Policy (django-csp) and the address browsers report violations to.

The policy is CONTENT_SECURITY_POLICY in the settings (README, "Security headers"); the
middleware adds the one thing that follows another setting, MAP_TILE_URL's host in img-src.

`csp_report` takes a browser's violation report and logs it, one WARNING per violation on
the `apps.core.csp` logger: the directive, the blocked address and the page's address, the
last two without query string or fragment (a search, a token: personal data), an emailed
link's secret path as its URL pattern (request_log.secret_path_pattern), and never the
client's address. Each client's reports are rate-limited (CSP_REPORT_RATE, a client counted
as apps/core/limits.py counts them), and a body larger than CSP_REPORT_MAX_BYTES is refused
unread, so that nobody can fill the logs."""

import functools
import json
import logging
from urllib.parse import urlsplit, urlunsplit

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.urls import Resolver404, get_script_prefix, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .limits import refusal_text, seconds_to_wait
from .request_log import secret_path_pattern

logger = logging.getLogger(__name__)

# A report is well under 2 KB (its longest parts are three addresses and the policy).
CSP_REPORT_MAX_BYTES = 10 * 1024
# report-uri's format, and the Reporting API's (report-to, should the policy name it one
# day): a list of reports.
CSP_REPORT_TYPE = "application/csp-report"
REPORTS_TYPE = "application/reports+json"
# Longest address or directive written to the log.
FIELD_MAX_CHARS = 300


@functools.lru_cache(maxsize=8)
def tile_host_source(tile_url):
    """The CSP source that lets the map load MAP_TILE_URL's tiles: the template's scheme and
    host ("https://tile.openstreetmap.org"), a {s} subdomain template becoming a wildcard
    ("https://*.tile.example.org"). None when no other host is asked: no tiles, or tiles
    at an address on this site, which 'self' covers."""
    if not tile_url or (tile_url.startswith("/") and not tile_url.startswith("//")):
        return None
    parts = urlsplit(tile_url)
    first, dot, rest = parts.netloc.partition(".")
    if "{" in first:
        # CSP's only wildcard is a whole leftmost label: tiles-{s}.example.org becomes
        # *.example.org, which still names the provider's domain alone.
        first = "*"
    if "{" in rest or not dot or not parts.netloc:
        raise ImproperlyConfigured(
            f"MAP_TILE_URL {tile_url!r}: needs a host whose first label alone may be a "
            "template such as {s}"
        )
    host = f"{first}.{rest}"
    return f"{parts.scheme}://{host}" if parts.scheme else host


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with MAP_TILE_URL's host added to img-src: read per
    response, so the header always agrees with the tiles /map/ asks for."""

    def __init__(self, get_response):
        super().__init__(get_response)
        tile_host_source(settings.MAP_TILE_URL)  # a bad template fails at start, not per page

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if tile_host := tile_host_source(settings.MAP_TILE_URL):
            update = dict(parts.update or {})
            update["img-src"] = [*update.get("img-src", ()), tile_host]
            parts.update = update
        return parts


def _logged_address(value):
    """An address without its query string and fragment, and a page of this site whose
    address carries a secret (an emailed reset or invitation link) as its URL pattern, as
    the request log writes it; a keyword ("inline", "eval") as it is. Cut to
    FIELD_MAX_CHARS."""
    value = str(value or "")[:2000]
    if "://" not in value:
        return value[:FIELD_MAX_CHARS]
    parts = urlsplit(value)
    path = parts.path
    prefix = get_script_prefix()
    if path.startswith(prefix):
        try:
            match = resolve("/" + path.removeprefix(prefix))
        except Resolver404:
            match = None
        path = secret_path_pattern(match, prefix) or path
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))[:FIELD_MAX_CHARS]


def _violations(content_type, data):
    """The violations in a report body, each as (directive, blocked, document, disposition),
    or a reason why the body is not a report."""
    if content_type == REPORTS_TYPE:
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            return None, "a reports+json body is a list of reports"
        violations = []
        for item in data:
            body = item.get("body")
            if item.get("type") != "csp-violation":
                continue  # another kind of report sent to the same endpoint: not ours
            if not isinstance(body, dict):
                return None, "a csp-violation report has a body object"
            violations.append(
                (
                    body.get("effectiveDirective"),
                    body.get("blockedURL"),
                    body.get("documentURL") or item.get("url"),
                    body.get("disposition"),
                )
            )
        return violations, None
    report = data.get("csp-report") if isinstance(data, dict) else None
    if not isinstance(report, dict):
        return None, 'a csp-report body is an object with a "csp-report" object'
    directive = report.get("effective-directive") or report.get("violated-directive")
    blocked, document = report.get("blocked-uri"), report.get("document-uri")
    return [(directive, blocked, document, report.get("disposition"))], None


def _refuse(status, reason):
    return HttpResponse(f"{reason}\n", status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@never_cache
@require_POST
def csp_report(request):
    """A browser's report of what the Content-Security-Policy blocked: logged, answered 204."""
    seconds = seconds_to_wait(request, "csp-report")
    if seconds:
        return refusal_text(request, "csp-report", seconds, json=False)
    content_type = request.content_type
    if content_type == "application/json":
        content_type = CSP_REPORT_TYPE  # some browsers label report-uri's body so
    if content_type not in {CSP_REPORT_TYPE, REPORTS_TYPE}:
        return _refuse(415, f"Reports are {CSP_REPORT_TYPE} or {REPORTS_TYPE}.")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _refuse(400, "Malformed report: bad Content-Length.")
    if declared > CSP_REPORT_MAX_BYTES:
        return _refuse(413, f"A report is at most {CSP_REPORT_MAX_BYTES} bytes.")
    body = request.read(CSP_REPORT_MAX_BYTES + 1)
    if len(body) > CSP_REPORT_MAX_BYTES:
        return _refuse(413, f"A report is at most {CSP_REPORT_MAX_BYTES} bytes.")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return _refuse(400, "Malformed report: not JSON.")
    violations, reason = _violations(content_type, data)
    if violations is None:
        return _refuse(400, f"Malformed report: {reason}.")
    for directive, blocked, document, disposition in violations:
        fields = {
            "directive": str(directive or "")[:FIELD_MAX_CHARS],
            "blocked_uri": _logged_address(blocked),
            "document_uri": _logged_address(document),
            "disposition": str(disposition or "enforce")[:20],
        }
        logger.warning(
            "CSP violation: %(directive)s blocked %(blocked_uri)s on %(document_uri)s",
            fields,
            extra=fields,
        )
    return HttpResponse(status=204)
