"""Abuse limits on the public's costly reads: searches (the search page, and a list searched
with `q`) and exports. A full export streams a million rows; a search ranks the whole index:
a client asking for them in a loop would slow the site for everyone, so each client may ask
for SEARCH_RATE searches and EXPORT_RATE exports (django-ratelimit's "N/s|m|h|d"), counted
in the default cache (Redis in production, shared by every worker).

Clients are counted as the tip limit, the login lockout and the API's limit count them
(client_ip.client_network): behind TRUSTED_PROXY_COUNT proxies by the address they
forwarded, an IPv6 client by its /64 network. Pages served from the page cache never get
here: they cost nothing."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.core import get_usage

from apps.core.client_ip import client_network


def _client(group, request):
    return client_network(request) or ""


# group: (the setting of its rate, the refusal, in the language of the request)
LIMITS = {
    "search": (
        "SEARCH_RATE",
        gettext_lazy(
            "Too many searches from your connection in a short time; try again in "
            "%(seconds)s seconds. The limit keeps the site fast for everyone."
        ),
    ),
    "export": (
        "EXPORT_RATE",
        gettext_lazy(
            "Too many downloads from your connection in a short time; try again in "
            "%(seconds)s seconds. The limit keeps the site fast for everyone."
        ),
    ),
    # Violation reports a browser sends (apps/core/csp.py): a flood would fill the logs.
    "csp-report": (
        "CSP_REPORT_RATE",
        gettext_lazy(
            "Too many reports from your connection in a short time; try again in "
            "%(seconds)s seconds. The limit keeps the site fast for everyone."
        ),
    ),
}


def seconds_to_wait(request, group):
    """0 while this client is within the limit of `group` (this request counted), else how
    many seconds until its window ends."""
    setting, _refusal = LIMITS[group]
    usage = get_usage(
        request,
        group=f"public-{group}",
        key=_client,
        rate=getattr(settings, setting),
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return 0
    return max(1, int(usage["time_left"]))


def _message(request, group, seconds):
    _setting, refusal = LIMITS[group]
    message = str(refusal) % {"seconds": seconds}
    if group == "export":
        package = request.build_absolute_uri(reverse("opendata:page"))
        message += " " + _("The whole registry is one download, with no limit: %(address)s") % {
            "address": package
        }
    return message


def refusal_page(request, group, seconds):
    """The 429 page of a limited HTML request, with Retry-After."""
    response = render(
        request,
        "core/too_many_requests.html",
        {"message": _message(request, group, seconds)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def refusal_text(request, group, seconds, *, json):
    """The 429 of a limited download: JSON (as the JSON exports' other errors) or text."""
    message = _message(request, group, seconds)
    if json:
        response = JsonResponse({"errors": [message]}, status=429)
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return response
