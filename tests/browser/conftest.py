"""Real-browser tests: Playwright for Python driving Debian's Chromium (`apt-get install
chromium`) against pytest-django's `live_server`.

They are skipped when Chromium is not installed, unless REQUIRE_BROWSER=1 (set by `.ci/run`):
then a missing browser is a failure. Screenshots go to a temporary folder, never into the tree.
"""

import os
import re
import shutil
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect

from tests.factories import authenticator_code, authenticator_for, sign_in

PASSWORD = "correct horse battery staple"  # UserFactory's


class SerialLiveServer(ThreadedWSGIServer):
    """The live server, running the application for one request at a time.

    On SQLite the test database lives in memory, so every request thread shares one
    connection; two requests at once (a form's POST while a script's fetch is still being
    answered) then break each other's savepoints ("no such savepoint"), and a browser test
    fails at random. Connections are still accepted on their own threads, so an idle socket
    the browser opened ahead of time holds nothing up."""

    _one_request_at_a_time = threading.Lock()

    def set_app(self, application):
        def serial(environ, start_response):
            with self._one_request_at_a_time:
                return application(environ, start_response)

        super().set_app(serial)


LiveServerThread.server_class = SerialLiveServer

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# How long a page action or an expectation may wait, in milliseconds.
TIMEOUT_MS = 15_000
# Run in every page before its own scripts: what the Content-Security-Policy blocks is kept
# in window.__cspViolations (read it with `csp_violations(page)`).
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


def _chromium_or_skip():
    executable = shutil.which("chromium")
    if executable is None:
        reason = (
            "Chromium is not installed (Debian: apt-get install chromium); the browser tests "
            "need it"
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and REQUIRE_BROWSER=1 makes that a failure.")
        pytest.skip(f"{reason}. Set REQUIRE_BROWSER=1 to make this a failure.")
    return executable


@pytest.fixture
def browser(live_server):
    """Chromium, started for each test AFTER its database is set up.

    Playwright's sync API keeps an event loop running in this thread. Django then treats the
    test's code as async: it refuses database queries unless DJANGO_ALLOW_ASYNC_UNSAFE is
    set, and gives it a connection object of its own. Setting the database up first keeps
    what it needs (the serialized data that `serialized_rollback` restores after the flush of
    an earlier transactional test) on the ordinary connection; that connection also flushes
    the database after the test. The live server answers the browser from another thread.
    """
    executable = _chromium_or_skip()
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
                # The connections opened while the loop ran; PostgreSQL would otherwise
                # refuse to drop the test database at the end while they stay open.
                connections.close_all()


@pytest.fixture
def page(live_server, browser):
    """A fresh browser context (no cookies) per test, with the page's JavaScript errors
    collected: a test ends by checking there were none. Content-Security-Policy violations
    are collected too: Chromium's console messages about them in `page.csp_messages` (every
    page visited), the current page's events by `csp_violations(page)`."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.csp_messages = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and page.csp_messages.append(f"{page.url}: {message.text}")
        ),
    )
    yield page
    context.close()


def csp_violations(page):
    """The Content-Security-Policy violations of the page now open, as the browser reported
    them to its scripts (securitypolicyviolation events)."""
    return page.evaluate("window.__cspViolations || []")


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("screenshots")


def pass_code_step(page, user):
    """At the two-factor code step, the code `user`'s authenticator app shows now (give the
    account one with authenticator_for() before it signs in, or it is asked to set one up)."""
    device = authenticator_for(user)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    page.get_by_label("Code").fill(authenticator_code(device))
    page.get_by_role("button", name="Verify").click()


def log_in(page, username, password=PASSWORD):
    """Sign in through the form; a reviewer or an admin also through the code step, with a
    code from their authenticator (given one first if they have none)."""
    from apps.accounts.two_factor import two_factor_required

    user = get_user_model().objects.get(username=username)
    needs_code = two_factor_required(user)
    if needs_code:
        authenticator_for(user)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if needs_code:
        pass_code_step(page, user)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def sign_in_browser(page, live_server, user):
    """The browser gets the session of `user` signed in through Django's test client (a
    reviewer's or an admin's having passed the two-factor step): for tests about what a
    signed-in person sees, not about signing in (tests/browser/test_two_factor.py)."""
    from django.conf import settings
    from django.test import Client

    session = sign_in(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
