"""Whether pages say that the site holds demonstration data (the DEMO_BANNER setting).

"auto" asks the database whether `seed_demo` has loaded its generated records. They cite
made-up documents at records.example.org, a domain reserved for examples (RFC 2606), so no
real source can live there: one such source is proof enough. The answer is kept in Django's
cache for a few minutes, so pages ask the database once per cache lifetime, not once per
request (and list pages keep their pinned query counts); a `seed_demo` run, or a database
emptied of the demo data, shows within that time (at once after a restart of a development
server, whose cache is in its memory).

Here, in the sources app, because the question is about sources: core, the base layer, reads
no domain model."""

from django.conf import settings
from django.core.cache import cache

from .models import Source

DEMO_SOURCE_URL_PREFIX = "https://records.example.org/"
CACHE_KEY = "sources.demo_data_present"
CACHE_SECONDS = 300


def demo_data_present():
    present = cache.get(CACHE_KEY)
    if present is None:
        present = Source.objects.filter(url__startswith=DEMO_SOURCE_URL_PREFIX).exists()
        cache.set(CACHE_KEY, present, CACHE_SECONDS)
    return present


def forget_demo_data_check():
    """Drop the cached answer, so the next page asks the database again."""
    cache.delete(CACHE_KEY)


def demo_banner_shown():
    if settings.DEMO_BANNER == "auto":
        return demo_data_present()
    return settings.DEMO_BANNER == "on"
