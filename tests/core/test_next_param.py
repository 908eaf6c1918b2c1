"""Every view that honours a `next` parameter, fed anything: never a server error, never a
redirect off the site.

The views: a tip's handle and dismiss, sign-in and sign-out; all check it with
apps.core.redirects. The examples are drawn the same way on every run (derandomized), so a
failure is reproducible; the known tricks are always tried."""

import re
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.redirects import safe_next_url
from apps.tips.models import Tip, TipStatus
from tests.factories import TipFactory, sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's password
HOST = "testserver"

# Values that broke or fooled `next` handling somewhere: view names `redirect()` would try to
# reverse (`-1` was a 500), protocol-relative and backslash addresses browsers take as
# another host, other schemes, userinfo tricks, control characters.
KNOWN_TRICKS = [
    "-1",
    "0",
    "home:home",
    "tips:handle",
    "editing:review",
    "//evil.example/",
    "///evil.example/",
    "////evil.example",
    "//",
    "// ",
    "/ /evil.example",
    " /review/ ",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    " //evil.example",
    "\t//evil.example",
    "\n//evil.example",
    "/\t/evil.example",
    "https://evil.example/",
    "http:evil.example",
    "https:/evil.example",
    "https:///evil.example",
    "http://testserver@evil.example/",
    "http://evil.example\\@testserver/",
    "http://evil.example#@testserver/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "\x00",
    "/\x00",
    "/review/",
    "/deployments/?page=2&region=OR",
    "http://testserver/review/",
    "",
]

# Anything a form or a query string can carry (no lone surrogates: they cannot be encoded).
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
url_like = st.from_regex(
    r"[ \t\\/]{0,4}([a-z]{1,8}:)?[\\/]{0,4}[a-z.@:%#?=&\\/-]{0,30}", fullmatch=True
)
next_values = st.one_of(st.sampled_from(KNOWN_TRICKS), url_like, any_text)
fuzz = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def where_a_browser_goes(location, page):
    """The address a browser opens for this Location header, read as browsers read it:
    leading spaces and control characters dropped, tabs and newlines removed, backslashes
    taken as slashes."""
    cleaned = re.sub(r"[\t\n\r]", "", location).lstrip("".join(map(chr, range(0x21))))
    return urljoin(page, cleaned.replace("\\", "/"))


def assert_safe(response, page):
    """No server error, and a redirect goes to a page of this site, however a browser reads
    the address."""
    assert response.status_code < 500, response.status_code
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
        target = urlsplit(where_a_browser_goes(location, f"http://{HOST}{page}"))
        assert target.scheme == "http" and target.netloc == HOST, location


@pytest.fixture
def reviewer_client(reviewer):
    client = Client()
    sign_in(client, reviewer)
    return client


@pytest.mark.parametrize("action", ["handle", "dismiss"])
@pytest.mark.parametrize("field", ["next", "next_in_query"])
def test_next_minus_one_goes_back_to_the_review_queue(reviewer_client, action, field):
    # `redirect("-1")` took it for a view name: NoReverseMatch, a 500.
    tip = TipFactory()
    url = f"/submit/review/{tip.pk}/{action}/"
    if field == "next":
        response = reviewer_client.post(url, {"next": "-1"})
    else:
        response = reviewer_client.post(f"{url}?next=-1")
    assert response.status_code == 302
    assert response["Location"] == "/review/"
    assert Tip.objects.get().status != TipStatus.NEW


def test_a_local_next_is_followed_with_its_query(reviewer_client):
    tip = TipFactory()
    back = "/submit/review/?order=oldest&page=2"
    response = reviewer_client.post(f"/submit/review/{tip.pk}/handle/", {"next": back})
    assert response["Location"] == back
    tip.refresh_from_db()
    assert tip.status == TipStatus.HANDLED


@pytest.mark.parametrize("action", ["handle", "dismiss"])
@fuzz
@given(next_value=next_values, in_query=st.booleans(), note_too_long=st.booleans())
def test_tip_actions_never_fail_or_leave_the_site(
    reviewer_client, action, next_value, in_query, note_too_long
):
    tip = TipFactory()
    url = f"/submit/review/{tip.pk}/{action}/"
    data = {"note": "x" * 2001 if note_too_long else "checked"}
    if in_query:
        response = reviewer_client.post(url + "?" + _query(next_value), data)
    else:
        response = reviewer_client.post(url, {**data, "next": next_value})
    assert response.status_code == 302
    assert_safe(response, url)
    # The action happened, whatever `next` said; a note over the limit changes nothing.
    tip.refresh_from_db()
    closed = TipStatus.HANDLED if action == "handle" else TipStatus.DISMISSED
    assert tip.status == (TipStatus.NEW if note_too_long else closed)


@fuzz
@given(next_value=next_values)
def test_login_page_never_fails_whatever_next_says(next_value):
    response = Client().get("/accounts/login/?" + _query(next_value))
    assert_safe(response, "/accounts/login/")


@fuzz
@given(next_value=next_values)
def test_signing_in_never_leaves_the_site(volunteer, next_value):
    data = {"username": volunteer.username, "password": PASSWORD, "next": next_value}
    client = Client()
    response = client.post("/accounts/login/", data)
    assert response.status_code == 302
    assert_safe(response, "/accounts/login/")
    assert client.session["_auth_user_id"] == str(volunteer.pk)


@fuzz
@given(next_value=next_values)
def test_signing_out_never_leaves_the_site(volunteer, next_value):
    client = Client()
    client.force_login(volunteer)
    response = client.post("/accounts/logout/", {"next": next_value})
    assert_safe(response, "/accounts/logout/")
    assert "_auth_user_id" not in client.session


@settings(fuzz, max_examples=500)
@given(next_value=next_values, secure=st.booleans())
def test_the_helper_returns_a_local_path_or_the_default(rf, next_value, secure):
    request = rf.post("/somewhere/", {"next": next_value}, secure=secure)
    url = safe_next_url(request, "home:home")
    assert url in ("/", next_value.strip())
    target = urlsplit(where_a_browser_goes(url, f"http://{HOST}/somewhere/"))
    assert url.startswith("/") and target.netloc == HOST, url


def test_the_login_page_carries_only_a_checked_next(client):
    page = client.get("/accounts/login/", {"next": "//"}).content.decode()
    assert 'name="next" value=""' in page
    page = client.get("/accounts/login/", {"next": "/review/"}).content.decode()
    assert 'name="next" value="/review/"' in page


def _query(value):
    return urlencode({"next": value})
