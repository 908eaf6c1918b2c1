"""Addresses of records without a reverse() for each: record_url() for a record's page,
and AbsoluteUrls for the absolute addresses of many records in one response (an API page
of 50 deployments names some 650: each record's page and API address, and those of every
record it links to).

reverse() and build_absolute_uri() cost tens of microseconds a call; an address differs from
its kind's next only by the record's key, so each kind of address is built once per request
around a marker key and then put together around each record's key. A key that the URL
patterns would quote or refuse (anything but letters, digits, "-" and "_") is still built by
reverse(), so the result is always what reverse() writes."""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Digits: matched by both the `int` and the `slug` converters of the detail URLs.
MARKER = "987654321987654321"
SLUG_MARKER = "987654321987654329"
_PLAIN_KEY = re.compile(r"[-a-zA-Z0-9_]+")


class AbsoluteUrls:
    """One request's absolute addresses, by view name or by record (get_absolute_url)."""

    def __init__(self, request):
        self.request = request
        self._views = {}
        self._record_keys = {}

    def around_view(self, view_name):
        """(prefix, suffix) of the view's absolute address around its one key."""
        if view_name not in self._views:
            url = self.request.build_absolute_uri(reverse(view_name, args=[MARKER]))
            self._views[view_name] = _around_marker(url, MARKER, view_name)
        return self._views[view_name]

    def of_view(self, view_name, key):
        """request.build_absolute_uri(reverse(view_name, args=[key]))."""
        key = str(key)
        if not _PLAIN_KEY.fullmatch(key):
            return self.request.build_absolute_uri(reverse(view_name, args=[key]))
        prefix, suffix = self.around_view(view_name)
        return prefix + key + suffix

    def of_record(self, record):
        """request.build_absolute_uri(record.get_absolute_url()), for a record whose address
        holds one of its keys (its id or its slug) and nothing else: which one is found once
        per model, by giving each a marker of its own."""
        key, prefix, suffix = self.record_address(type(record))
        value = str(getattr(record, key))
        if not _PLAIN_KEY.fullmatch(value):
            return self.request.build_absolute_uri(record.get_absolute_url())
        return prefix + value + suffix

    def record_address(self, model):
        """(key, prefix, suffix): the field a record's address holds ("pk" or "slug") and
        the absolute address around it."""
        if model not in self._record_keys:
            self._record_keys[model] = self._key_of_address(model)
        return self._record_keys[model]

    def _key_of_address(self, model):
        markers = {"pk": MARKER}
        if any(field.name == "slug" for field in model._meta.concrete_fields):
            markers["slug"] = SLUG_MARKER
        url = self.request.build_absolute_uri(model(**markers).get_absolute_url())
        held = [key for key, marker in markers.items() if marker in url]
        if len(held) != 1:
            raise ValueError(f"{model.__name__}: {url!r} must hold its id or its slug, once.")
        return (held[0], *_around_marker(url, markers[held[0]], model.__name__))


def record_url(view_name, key):
    """reverse(view_name, args=[key]): a record's page (get_absolute_url). A list page writes
    some 300 such addresses, at about 60 microseconds each through reverse(); the address
    around the key is built once per view name and whatever else reverse() reads (the
    script prefix, the URLconf, the language) and the key put in it."""
    if key is None or not _PLAIN_KEY.fullmatch(str(key)):
        # Whatever reverse() says of it (an unsaved record's address is NoReverseMatch).
        return reverse(view_name, args=[key])
    key = str(key)
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    prefix, suffix = _relative_around(view_name, get_script_prefix(), urlconf, get_language())
    return prefix + key + suffix


@lru_cache(maxsize=256)
def _relative_around(view_name, script_prefix, urlconf, language):
    # The arguments are the cache's key: reverse() reads the script prefix and the language
    # of the current thread, which are these.
    url = reverse(view_name, args=[MARKER], urlconf=urlconf)
    return _around_marker(url, MARKER, view_name)


def _around_marker(url, marker, name):
    """(prefix, suffix) of `url` around `marker`, which it must hold exactly once: an address
    built from a key in any other way than by putting it in would be built wrong for every
    record."""
    if url.count(marker) != 1:
        raise ValueError(f"{name}: {url!r} does not hold its key once.")
    prefix, _, suffix = url.partition(marker)
    return prefix, suffix
