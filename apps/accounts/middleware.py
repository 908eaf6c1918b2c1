"""Two-factor sign-in, enforced in one place (apps/accounts/two_factor.py has the rule).

A signed-in session that must pass the code step and has not is half signed in: every
request but those of the two-factor steps, signing in and out and the static files is sent
to the code step (or, for an account with no device yet, to setting one up), with the page
it asked for as `next`. Placed after django-otp's OTPMiddleware, which tells a verified
session. A request without a session cookie (every anonymous visitor) is not looked at, so
that it loads no session: the page cache (apps/core/page_cache.py) serves such requests
before this runs, and the pages it stores stay free of `Vary: Cookie` from here."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from . import two_factor

# The pages a half signed-in session may still open (URL names), beside STATIC_URL.
OPEN_URL_NAMES = (
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "accounts:login",
    "accounts:logout",
    "favicon",
    "robots",
    "healthz",
    "csp_report",
)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def open_paths(self):
        # Resolved on the first request: URLconfs cannot be read while middleware loads.
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in OPEN_URL_NAMES)
        return self._open_paths

    def __call__(self, request):
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.path not in self.open_paths()
            and not request.path.startswith(settings.STATIC_URL)
            and two_factor.needs_code_step(request)
        ):
            return self.send_to_code_step(request)
        return self.get_response(request)

    def send_to_code_step(self, request):
        # Only a page can be asked for again; a form's POST is not repeated.
        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        return redirect(two_factor.code_step_url(request.user, next_url))
