"""Test settings: a fast password hasher, plain static storage, in-memory email."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Demo data (`manage.py seed_demo`) is a development tool: never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "apps.demo"]  # noqa: F405
# The manifest storage needs collectstatic first; tests render templates without it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A second alias on the test database itself, so that tests can switch the read-replica
# router on (tests/core/test_replica.py) without a second server. Nothing uses it otherwise:
# the router is installed only when DATABASE_REPLICA_URL is set.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
LIST_PAGE_SIZE = 20
WHITENOISE_AUTOREFRESH = True
# "auto" would ask the database about demo data on the first page of a test, once per cache
# lifetime, and so shift pinned query counts by one depending on test order; the banner's own
# tests (tests/sources/test_demo_banner.py) turn it back on.
DEMO_BANNER = "off"
# No tiles: tests run offline, and the map must show its markers without them.
MAP_TILE_URL = ""
# The page cache would answer a test's second request from memory and shift the pinned
# query counts; tests/pagecache/ turns it on.
PAGE_CACHE = False
# ANALYZE inside a test, whose transaction is rolled back, would leave the planner's row
# counts (pg_class, written in place, never rolled back) describing rows that are gone: a
# later test's demo data then looked like 20 deployments to the planner, whose nested loops
# over thousands of rows made check_records take minutes (on a server without autovacuum).
# The tests measure no speed.
BULK_LOAD_ANALYZE = False
