"""Figures computed once per change of the published data: the counts and charts of the home
page, a technology's, a region's and a vendor's page. At a million deployments each one groups
hundreds of thousands of rows (the home page's took seconds); they change only when something
is published, reverted or withdrawn, so they are kept in the page cache's store under its
publication generation (apps/core/page_cache.py) and a new generation makes them unreachable
at once. Signed-in visitors, whom the page cache never serves, read the same figures.

Like the page cache, this is on only when PAGE_CACHE is (not in the tests, whose query counts
are pinned; tests/pagecache/test_figures.py turns it on)."""

import hashlib
import logging

from django.core.cache import caches
from django.utils.translation import get_language

from . import page_cache

logger = logging.getLogger(__name__)

# Kept a day at most: every key holds the generation, so an old one is never read again, and
# this bounds how long it takes room in the store.
STORE_SECONDS = 24 * 60 * 60


def figures_cached():
    """Whether cached_figures() keeps what it computes."""
    return page_cache.enabled()


def cached_figures(name, compute):
    """`compute()`, or what it returned for `name` since the published data last changed.
    `name` says what is computed and for which scope (e.g. "charts:technology=drones"). Each
    language has its own: figures hold words (a chart's title, a kind's name) in the
    language active when they were computed."""
    if not figures_cached():
        return compute()
    cache = caches[page_cache.CACHE_ALIAS]
    try:
        token, _changed_at = page_cache.current_generation()
        scoped = f"{get_language() or ''}:{name}"
        key = f"figures:{token}:{hashlib.sha256(scoped.encode()).hexdigest()[:32]}"
        figures = cache.get(key)
    except Exception:  # an unreachable cache: the figures are computed all the same
        logger.exception("Could not read the figures %s", name)
        return compute()
    if figures is None:
        figures = compute()
        try:
            cache.set(key, figures, STORE_SECONDS)
        except Exception:  # a full or unreachable cache: the figures are shown all the same
            logger.exception("Could not store the figures %s", name)
    return figures
