"""Development settings: DEBUG on, a throwaway secret key, console email."""

import os

from .base import *  # noqa: F403
from .base import env_bool, logging_config

DEBUG = env_bool("DEBUG", True)
# Off while developing (a template changed on disk would not show until its page expired);
# PAGE_CACHE=true to try it.
PAGE_CACHE = env_bool("PAGE_CACHE", False)
SECRET_KEY = SECRET_KEY or "django-insecure-local-development-key-change-me"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A terminal is read by a person: one line of text a record, unless LOG_FORMAT says json.
LOG_FORMAT = os.environ.get("LOG_FORMAT") or "text"
LOGGING = logging_config(LOG_FORMAT)
# Demo data (`manage.py seed_demo`) is a development tool: never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "apps.demo"]  # noqa: F405

# runserver answers each request on a new thread, and a persistent connection belongs to the
# thread that opened it: a burst of requests (a page and its autocomplete calls, a reload
# storm) leaves one idle connection per thread until PostgreSQL refuses more ("too many
# clients"). In development each request closes its connection, unless DB_CONN_MAX_AGE says
# otherwise; production keeps the base setting (gunicorn's workers reuse theirs).
if "DB_CONN_MAX_AGE" not in os.environ:
    for database in DATABASES.values():  # noqa: F405
        database["CONN_MAX_AGE"] = 0
