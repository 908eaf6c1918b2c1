"""The page cache: public pages rendered once per change of the published data, served to
anonymous visitors from the cache (no database query) and marked for browsers and a CDN.

What is cached: a GET or HEAD by a visitor with no session and no pending message (the
cookies that make a page personal), of a path that is not an account, review, editing,
tip or admin page, answered 200 with a complete body, no cookie set (a page with a form
sets the CSRF cookie: never cached) and no Cache-Control of its own. Such a page is stored
in the "pages" cache under its full address and the current publication generation, and
sent with `Cache-Control: public, max-age=PAGE_CACHE_SECONDS, s-maxage=PAGE_CACHE_CDN_SECONDS`,
`Vary: Cookie`, an `ETag` (a hash of the body) and `Last-Modified` (when the published data
last changed); a conditional request that matches gets 304. A streamed download (exports)
gets the same Cache-Control, and is stored once it has been sent in full if it is small
(PAGE_CACHE_DOWNLOAD_MAX_BYTES: a filtered export). A signed-in visitor's pages, and any
response that sets a cookie, are `Cache-Control: private, no-store`.

Invalidation: the generation (a random token and the time of the change) is kept in the
same cache; every cache key contains it, so a new generation makes every stored page
unreachable at once (they expire by PAGE_CACHE_STORE_SECONDS). `changed()` makes a new one
when the transaction that changed published data commits, once per transaction however
many rows it wrote. apps/pagecache connects it to every save of a record kind (core cannot
read the registry); writers that skip save() call `changed()` themselves.

Everything here is off when PAGE_CACHE is false (the test settings: pinned query counts)."""

import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpResponse
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language_from_path

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
GENERATION_KEY = "page-cache:generation"
CACHEABLE_METHODS = {"GET", "HEAD"}
# Pages that are personal or part of a write (most also set the CSRF cookie or redirect an
# anonymous visitor, which keeps them out anyway; named here so that no change to a view
# can put them in the cache). History pages are public and cached.
PRIVATE_PREFIXES = (
    "/accounts/",
    "/admin/",
    "/review/",
    "/submit/",
    "/contributions/",
    "/autocomplete/",
    "/data/build/",
    "/healthz",
    # POST only (apps/core/csp.py), so never stored anyway.
    "/csp-report/",
)
PRIVATE_SUFFIXES = (
    "/new/",
    "/edit/",
    "/revert/",
    "/withdraw/",
    "/restore/",
    "/merge/",
)


def enabled():
    return settings.PAGE_CACHE


def _cache():
    return caches[CACHE_ALIAS]


# ---------------------------------------------------------------- the generation


def _new_generation():
    return (uuid.uuid4().hex[:16], int(time.time()))


def current_generation():
    """(token, time of the last change as a Unix time). Made when there is none (a cache
    restarted or emptied: nothing is known of what is stored, so now is the last change)."""
    cache = _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # add(): of two processes starting a generation at once, one wins and both use it.
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY) or _new_generation()
    return generation


def bump():
    """A new generation now: every page stored so far is out of date."""
    _cache().set(GENERATION_KEY, _new_generation(), timeout=None)


class _BumpOnCommit:
    """The on-commit callback: one per transaction, known by its class (see changed()).
    `done`: one that already ran no longer counts (the test suite's capture of on-commit
    callbacks runs them but leaves them in the connection's list)."""

    done = False

    def __call__(self):
        self.done = True
        bump()


def changed(using=DEFAULT_DB_ALIAS):
    """Published data changed (or may have): a new generation once the transaction commits
    (at once outside one; never when it is rolled back). A transaction writing thousands of
    rows (an import, the demo data) schedules one."""
    if not enabled():
        return
    connection = connections[using]
    # Already scheduled in this transaction? The list of callbacks, not a flag of ours, is
    # the answer: a savepoint rolled back takes its callbacks with it.
    if connection.in_atomic_block and any(
        isinstance(func, _BumpOnCommit) and not func.done
        for _savepoints, func, _robust in connection.run_on_commit
    ):
        return
    # robust: the change is committed whatever the cache says; a cache that cannot be
    # reached is logged, and its pages expire by PAGE_CACHE_STORE_SECONDS.
    transaction.on_commit(_BumpOnCommit(), using=using, robust=True)


# ---------------------------------------------------------------- the middleware


def has_personal_cookies(request):
    """A session (signed in, or a page rendered for someone) or a message waiting to be
    shown (a cookie until the next page shows it)."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


def path_without_language(path):
    """/es/accounts/… → /accounts/…: the private prefixes hold in every language."""
    language = get_language_from_path(path)
    return path.removeprefix(f"/{language}") if language else path


def cacheable_request(request):
    # Without the script prefix, as the URLconf sees it, and without a language prefix.
    path = path_without_language(request.path_info)
    return (
        request.method in CACHEABLE_METHODS
        and not has_personal_cookies(request)
        and not path.startswith(PRIVATE_PREFIXES)
        and not path.endswith(PRIVATE_SUFFIXES)
    )


def page_key(request, token):
    # The full address (scheme, host, path, query): the same page for every anonymous
    # visitor; HEAD is answered from the GET's page, as Django's cache middleware does.
    address = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False)
    return f"page-cache:{token}:{address.hexdigest()}"


def _public(response):
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_SECONDS,
        s_maxage=settings.PAGE_CACHE_CDN_SECONDS,
    )
    _not_varying_by_browser_language(response)
    patch_vary_headers(response, ("Cookie",))


def _not_varying_by_browser_language(response):
    """LocaleMiddleware marks every address without a language prefix `Vary:
    Accept-Language`, but here the address alone picks the language (English unless /es/…,
    README "Languages"), so a CDN need not keep one copy per browser language."""
    kept = [
        header
        for header in cc_delim_re.split(response.get("Vary", ""))
        if header and header.lower() != "accept-language"
    ]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif response.has_header("Vary"):
        del response["Vary"]


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ("Cookie",))


def _signed_in(request):
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _shared(request, response):
    """The same answer for every anonymous visitor: a page to store, or a download."""
    return (
        response.status_code == 200
        and not response.cookies
        and not response.has_header("Cache-Control")
        and not _signed_in(request)
    )


def _store(key, response, changed_at, path):
    """Keep a whole response under `key`, with its ETag and Last-Modified."""
    set_response_etag(response)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(changed_at)
    try:
        _cache().set(key, _frozen(response), settings.PAGE_CACHE_STORE_SECONDS)
    except Exception:  # a full or unreachable cache: the page is served all the same
        logger.exception("Could not store %s in the page cache", path)


def _frozen(response):
    return (response.content, list(response.items()))


def _thawed(stored):
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def _not_modified_or(request, response):
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )


def _stored_once_sent(body, headers, key, changed_at, path):
    """The streamed `body` of a response with `headers` (as they were when this middleware
    passed it on), passed on chunk by chunk as it is read; once the
    last chunk has gone, the body is stored like a page if it is at most
    PAGE_CACHE_DOWNLOAD_MAX_BYTES (a filtered export of a few thousand rows): the next
    visitor gets it from the cache. A body cut short (the client went away, an error) or
    larger is never stored, and a larger one is not held in memory past the limit."""
    limit = settings.PAGE_CACHE_DOWNLOAD_MAX_BYTES
    held, size = [], 0
    for chunk in body:
        if held is not None:
            size += len(chunk)
            if size <= limit:
                held.append(chunk)
            else:
                held = None
        yield chunk
    if held is None:
        return
    page = HttpResponse(b"".join(held))
    for name, value in headers:
        page[name] = value
    _store(key, page, changed_at, path)


class PageCacheMiddleware:
    """Placed before the session middleware: a page served from the cache loads no session
    and runs no view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        if not cacheable_request(request):
            response = self.get_response(request)
            if has_personal_cookies(request) or response.cookies:
                _private(response)
            return response

        cache = _cache()
        # Read before the page is rendered: a change committed meanwhile makes a new
        # generation, so what is stored now under this one is never served after it.
        token, changed_at = current_generation()
        key = page_key(request, token)
        stored = cache.get(key)
        if stored is not None:
            return _not_modified_or(request, _thawed(stored))

        response = self.get_response(request)
        if _shared(request, response) and not response.streaming:
            _public(response)
            _store(key, response, changed_at, request.path)
            return _not_modified_or(request, response)
        if _shared(request, response):
            # A download (exports): the same for everyone, so a CDN may keep it; stored here
            # too once sent in full, if it is small.
            _public(response)
            if request.method == "GET":  # a HEAD downloads nothing: it stores nothing
                body, headers = response.streaming_content, list(response.items())
                response.streaming_content = _stored_once_sent(
                    body, headers, key, changed_at, request.path
                )
        elif response.cookies:
            _private(response)
        return response
