"""Where to send someone back to after a form: the `next` parameter, checked.

`next` comes from the request, so it is never trusted: it must be a path on this site. An
off-site address would make the site an open redirect; a bare word such as `-1` or
`home:home` would be taken by `django.shortcuts.redirect()` for a view name (a 500 when no
view has that name); `//` passes Django's own check but is no page of ours. So every view
that honours `next` goes through `checked_next_url()`, and redirects with
`HttpResponseRedirect`, which never resolves names: the tips' handle and dismiss actions,
and sign-in and sign-out (Django's views, given `NextParameterMixin`)."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_PARAMETER = "next"


def checked_next_url(request):
    """The request's `next` (POST first, then the query string) when it is a path on this
    site, else ""."""
    candidate = (request.POST.get(NEXT_PARAMETER) or request.GET.get(NEXT_PARAMETER) or "").strip()
    local_path = candidate.startswith("/") and not candidate.startswith(("//", "/\\"))
    if local_path and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def safe_next_url(request, default):
    """`checked_next_url()`, or `default` (a path, a URL name or a model with
    get_absolute_url) when the request names no page of ours."""
    return checked_next_url(request) or resolve_url(default)


def redirect_to_next(request, default):
    """A redirect to `safe_next_url(request, default)`."""
    return HttpResponseRedirect(safe_next_url(request, default))


class NextParameterMixin:
    """For Django's authentication views (RedirectURLMixin): `next` checked as above, so
    sign-in and sign-out follow the same rule as every other view."""

    def get_redirect_url(self):
        return checked_next_url(self.request)


class LoginView(NextParameterMixin, auth_views.LoginView):
    pass


class LogoutView(NextParameterMixin, auth_views.LogoutView):
    pass
