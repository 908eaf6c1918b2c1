"""Where to send someone back to after a form: the `next` parameter, checked.

`next` comes from the request, so it is never trusted: it must be a path on this site. An
off-site address would make the site an open redirect, and a bare word such as `-1` or
`core:home` would be taken by `django.shortcuts.redirect()` for a view name (a 500 when no
view has that name), so every view that honours `next` goes through here and redirects with
`HttpResponseRedirect`, which never resolves names."""

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_PARAMETER = "next"


def safe_next_url(request, default):
    """The request's `next` (POST first, then the query string) when it is a path on this
    site, else `default` (a path, a URL name or a model with get_absolute_url)."""
    candidate = request.POST.get(NEXT_PARAMETER) or request.GET.get(NEXT_PARAMETER) or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


def redirect_to_next(request, default):
    """A redirect to `safe_next_url(request, default)`."""
    return HttpResponseRedirect(safe_next_url(request, default))
