"""Settings shared by every environment. Values that differ between machines come from the
environment; `.env.example` lists every variable this project reads."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # django.contrib.admin, whose site asks for a two-factor-verified session
    # (apps/accounts/admin_site.py).
    "apps.accounts.admin_site.TwoFactorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The sitemap's templates (apps/feeds/sitemaps.py); no models.
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "axes",
    # Two-factor sign-in (apps/accounts/two_factor.py): authenticator apps (TOTP) and
    # single-use recovery codes (static tokens).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files as static files of this site, for /api/v1/docs/.
    "drf_spectacular_sidecar",
    # django-csp: its system checks (settings of the 3.x style are refused).
    "csp",
    "apps.core",
    "apps.records",
    "apps.accounts",
    "apps.sources",
    "apps.technologies",
    "apps.agencies",
    "apps.vendors",
    "apps.deployments",
    "apps.contracts",
    "apps.records_requests",
    "apps.importing",
    "apps.oversight",
    "apps.charts",
    "apps.editing",
    "apps.tips",
    "apps.home",
    "apps.api",
    "apps.feeds",
    "apps.maps",
    "apps.opendata",
    "apps.regions",
    "apps.search",
    # Keeps the page cache current on every change to a record (apps/core/page_cache.py).
    "apps.pagecache",
]

MIDDLEWARE = [
    # First: its time covers every other middleware (README, "Logs").
    "apps.core.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache: a page served from it gets the policy in force now, not the one
    # it was stored with (README, "Security headers").
    "apps.core.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Before the session: a page served from the cache loads no session and runs no view.
    "apps.core.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the address: /es/… in Spanish, every other page in English (README,
    # "Languages"). After the session, before CommonMiddleware, as Django asks.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the two-factor step.
    "django_otp.middleware.OTPMiddleware",
    # Sends a reviewer's or admin's session that has not passed the two-factor step (and a
    # volunteer's who has a device) to that step, from every page but its own.
    "apps.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Saves made outside the editing services (the Django admin) get their author from here.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses logins for a username or address locked out after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: 5 failed logins for one username from one address (an IPv6 /64 counts as one)
# lock it there for an hour; 20 from all addresses together lock the account everywhere
# (apps/accounts/lockout.py). A password reset by email lifts both.
AXES_HANDLER = "apps.accounts.lockout.AccountLockoutHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies of ours stand in front of the app (0: none, it is exposed
# directly). Rate limits and lockouts then read the client address from X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "apps.core.client_ip.client_network"
RATELIMIT_IP_META_KEY = "apps.core.client_ip.client_ip"
AXES_VERBOSE = False
# Its log lines name no username or address (README, "Logs").
AXES_CLIENT_STR_CALLABLE = "apps.accounts.lockout.client_str"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Django's default, stated because the invitation and reset forms rely on it: Referers stay
# on this site, and a form's POST carries its real Origin (a `no-referrer` page sends
# "Origin: null", which the CSRF check refuses).
SECURE_REFERRER_POLICY = "same-origin"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "editing:my_contributions"
LOGOUT_REDIRECT_URL = "home:home"
# A signed-in session ends after a day without activity: each request renews it. Anonymous
# visitors have no session, so this writes nothing for them.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 24)))
SESSION_SAVE_EVERY_REQUEST = True
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")

# The cache holds rate-limit counters, so it must be shared by every worker: Redis when
# REDIS_URL is set (production requires it); otherwise memory, fine for one dev process.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tracker",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # django-ratelimit warns that memory is not shared between processes: true, and
    # acceptable for the single development or test process.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003"]
# The page cache (apps/core/page_cache.py): public pages as anonymous visitors see them,
# in a cache of their own (so that pages never push rate-limit counters out of memory):
# the same Redis when REDIS_URL is set (every worker serves what one rendered, and a change
# made by any process, an import included, reaches them all), else this process's memory.
# PAGE_CACHE_REDIS_URL puts the pages in a Redis of their own, which may then evict the
# oldest pages when full (maxmemory with allkeys-lru) while the counters' Redis never evicts.
PAGE_CACHE_REDIS_URL = os.environ.get("PAGE_CACHE_REDIS_URL") or REDIS_URL
if PAGE_CACHE_REDIS_URL:
    CACHES["pages"] = {
        **CACHES["default"],
        "LOCATION": PAGE_CACHE_REDIS_URL,
        "KEY_PREFIX": "tracker-pages",
    }
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
    }
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# How long browsers (max-age) and shared caches such as a CDN (s-maxage) may reuse a page
# without asking; after that they ask again with If-None-Match and get 304 if unchanged.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
PAGE_CACHE_CDN_SECONDS = int(os.environ.get("PAGE_CACHE_CDN_SECONDS") or PAGE_CACHE_SECONDS)
# How long the cache keeps a page: a change to the published data replaces every page at
# once, so this only bounds what no signal announces (the time passing: overdue requests).
PAGE_CACHE_STORE_SECONDS = int(os.environ.get("PAGE_CACHE_STORE_SECONDS", "600"))
# A streamed download (an export) no larger than this is stored once it has been sent in
# full, like a page: a filtered CSV of a few thousand rows. A larger one is never held.
PAGE_CACHE_DOWNLOAD_MAX_BYTES = int(os.environ.get("PAGE_CACHE_DOWNLOAD_MAX_BYTES", "8000000"))
RATELIMIT_VIEW = "apps.tips.views.rate_limited"
# Tips from the public: how many one client may send (accepted tips and honeypot hits count;
# forms sent back with errors do not).
TIP_RATE = os.environ.get("TIP_RATE", "5/h")
# Password-reset emails: how many one client may ask for, and one address may be sent.
PASSWORD_RESET_RATE_PER_ADDRESS = os.environ.get("PASSWORD_RESET_RATE_PER_ADDRESS", "10/h")
PASSWORD_RESET_RATE_PER_EMAIL = os.environ.get("PASSWORD_RESET_RATE_PER_EMAIL", "3/h")

# The public API (/api/v1/, apps/api): read-only JSON, no accounts (so no session, no CSRF,
# nothing personal), every client limited to API_ANON_RATE requests (DRF's "N/s|m|h|d"),
# counted in the default cache.
API_ANON_RATE = os.environ.get("API_ANON_RATE", "120/min")
API_PAGE_SIZE = int(os.environ.get("API_PAGE_SIZE", "50"))
# Searches (the search page, a list searched with q) and exports one client may ask for
# (apps/core/limits.py); beyond them, a 429 with Retry-After.
SEARCH_RATE = os.environ.get("SEARCH_RATE", "60/m")
EXPORT_RATE = os.environ.get("EXPORT_RATE", "20/m")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["apps.api.throttling.AnonymousApiThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    # JSON only: `?format=` is not a switch, so it is refused like any unknown parameter.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Surveillance Tracker API",
    "DESCRIPTION": "Read-only JSON for every published record of the registry: the same "
    "filters as the site's lists (query parameters), cursor pages (follow `next`), links to "
    "related records and sources. No account needed; requests are rate-limited per address "
    "(429 with Retry-After).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Served from this site's static files (drf-spectacular-sidecar), not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# A bulk load (apps/records/services.py BulkLoad: generate_data) runs ANALYZE so that the
# planner knows the rows it inserted.
BULK_LOAD_ANALYZE = True

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.site",
                "apps.sources.context_processors.demo_banner",
                "apps.editing.context_processors.editing",
                "apps.home.context_processors.site_menu",
            ],
        },
    },
]

# DATABASE_URL picks the database (PostgreSQL in production); unset, an embedded SQLite file
# under data/ lets a newcomer run the site with nothing installed.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "data" / "db.sqlite3"))
DATABASES = {
    # An empty DATABASE_URL (as .env.example leaves it) means unset too; dj_database_url's
    # config() would give an empty dict for it, with no engine at all.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers keep reading while an import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface's languages (README, "Languages"). English pages have no prefix; Spanish ones
# sit under /es/. The records themselves are not translated: they are quoted from sources.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Never served as it is: documents go out through sources:document, which checks who may
# read them (see DOCUMENT_SERVE_MODE).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "data" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded source documents (PDFs) are capped; the web server should enforce the same limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SOURCE_DOCUMENT_MAX_BYTES = int(os.environ.get("SOURCE_DOCUMENT_MAX_BYTES", 25 * 1024 * 1024))
# Every upload is read by pypdf in a child process before it is stored (apps/sources/uploads.py,
# pdf_check.py): within this many seconds, and refused when one stream would inflate past
# SOURCE_DOCUMENT_MAX_STREAM_BYTES or all of them past SOURCE_DOCUMENT_MAX_INFLATED_BYTES (a
# decompression bomb); its memory is DOCUMENT_TEXT_MAX_MEMORY_MB's.
SOURCE_DOCUMENT_CHECK_TIMEOUT = float(os.environ.get("SOURCE_DOCUMENT_CHECK_TIMEOUT", "30"))
SOURCE_DOCUMENT_MAX_STREAM_BYTES = int(
    os.environ.get("SOURCE_DOCUMENT_MAX_STREAM_BYTES", 64 * 1024 * 1024)
)
SOURCE_DOCUMENT_MAX_INFLATED_BYTES = int(
    os.environ.get("SOURCE_DOCUMENT_MAX_INFLATED_BYTES", 512 * 1024 * 1024)
)
# Reading a document's text (`manage.py extract_documents`, never in a request) is bounded:
# a crafted PDF can make a parser work for hours or produce millions of characters.
DOCUMENT_TEXT_TIMEOUT = float(os.environ.get("DOCUMENT_TEXT_TIMEOUT", "60"))
DOCUMENT_TEXT_MAX_CHARS = int(os.environ.get("DOCUMENT_TEXT_MAX_CHARS", "500000"))
DOCUMENT_TEXT_MAX_PAGES = int(os.environ.get("DOCUMENT_TEXT_MAX_PAGES", "500"))
DOCUMENT_TEXT_MAX_MEMORY_MB = int(os.environ.get("DOCUMENT_TEXT_MAX_MEMORY_MB", "1024"))
# Who sends a document once the view has checked the reader may see it: "django" (fine for
# development and small sites), or the reverse proxy from an internal location:
# "x-accel-redirect" (nginx; DOCUMENT_INTERNAL_PREFIX is that location) or "x-sendfile"
# (Apache mod_xsendfile, given the file's path under MEDIA_ROOT), or, with documents in
# object storage (below), "redirect" to a short-lived signed address of the object.
DOCUMENT_SERVE_MODE = os.environ.get("DOCUMENT_SERVE_MODE", "django")
if DOCUMENT_SERVE_MODE not in {"django", "x-accel-redirect", "x-sendfile", "redirect"}:
    raise ImproperlyConfigured(
        "DOCUMENT_SERVE_MODE must be django, x-accel-redirect, x-sendfile or redirect, "
        f"not {DOCUMENT_SERVE_MODE!r}"
    )
DOCUMENT_INTERNAL_PREFIX = os.environ.get("DOCUMENT_INTERNAL_PREFIX", "/protected-media/")

# --- Past one machine (README, "Past one machine") ---------------------------------------
# Django's own PostgreSQL connection pool (psycopg_pool), one per process, instead of a
# persistent connection per thread. Django refuses a pool with persistent connections, so
# the pool replaces DB_CONN_MAX_AGE. A gunicorn worker uses at most one connection per
# thread (GUNICORN_THREADS, default 4).
DB_POOL = env_bool("DB_POOL", False)
DB_POOL_OPTIONS = {
    "min_size": int(os.environ.get("DB_POOL_MIN_SIZE", "2")),
    "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "4")),
    # Seconds a request waits for a free connection before failing.
    "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
}
# A PostgreSQL read replica (streaming replication) for read-only public traffic: reads of
# requests with no session and a safe method go there (apps/core/db_routing.py); signed-in
# users, writes and migrations stay on DATABASE_URL.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASE_ROUTERS = ["apps.core.db_routing.ReplicaRouter"]
    MIDDLEWARE = [*MIDDLEWARE, "apps.core.db_routing.ReplicaRequestMiddleware"]
# Prepared statements: the API's list pages run one fixed statement per kind (the records'
# JSON by id, apps/api/records.py PageJson), whose planning would otherwise cost PostgreSQL
# some 5 ms a page. psycopg prepares a statement that a server-binding cursor has run 5 times
# on the connection; Django's own cursors bind on the client and never prepare. A pooler in
# transaction mode that does not keep prepared statements (PgBouncer before 1.21, or without
# max_prepared_statements) needs DB_PREPARED_STATEMENTS=false.
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["OPTIONS"] = {
            **database.get("OPTIONS", {}),
            # Django's default is None: nothing prepared.
            "prepare_threshold": 5 if DB_PREPARED_STATEMENTS else None,
        }
if DB_POOL:
    for alias, database in DATABASES.items():
        if database["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured(f"DB_POOL needs PostgreSQL; {alias} is {database['ENGINE']}")
        database["OPTIONS"] = {**database.get("OPTIONS", {}), "pool": DB_POOL_OPTIONS}
        database["CONN_MAX_AGE"] = 0

# Uploaded documents in S3-compatible object storage (django-storages) when a bucket is
# named; otherwise under MEDIA_ROOT. Objects are private: readers get them through
# sources:document, which checks who may read them, streamed by Django (DOCUMENT_SERVE_MODE
# "django") or, better, redirected to a signed address valid DOCUMENT_URL_EXPIRE_SECONDS
# ("redirect"). Credentials come from boto3's usual places (AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY in the environment, or the machine's role).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
# Long enough for a PDF viewer's range requests while the reader opens a large file; a
# withdrawn document stays reachable at an address already handed out for this long.
DOCUMENT_URL_EXPIRE_SECONDS = int(os.environ.get("DOCUMENT_URL_EXPIRE_SECONDS", "300"))
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # Empty: Amazon S3 itself; otherwise MinIO, Ceph, R2, Spaces... (https://...).
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # "path" for servers without per-bucket host names (MinIO by default).
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "default_acl": "private",
            # Objects are downloads, never pages a browser renders from the bucket.
            "object_parameters": {"ContentDisposition": "attachment"},
            "querystring_auth": True,
            "querystring_expire": DOCUMENT_URL_EXPIRE_SECONDS,
            # boto3 would otherwise sign addresses the legacy way (SigV2), which newer
            # regions and some S3-compatible servers refuse.
            "signature_version": "s3v4",
            # A replaced document is kept (a revert can bring it back): never overwrite.
            "file_overwrite": False,
        },
    }
    # The proxy modes hand the proxy a file under MEDIA_ROOT.
    if DOCUMENT_SERVE_MODE in {"x-accel-redirect", "x-sendfile"}:
        raise ImproperlyConfigured(
            f"DOCUMENT_SERVE_MODE={DOCUMENT_SERVE_MODE} needs documents on disk; with "
            "AWS_STORAGE_BUCKET_NAME use redirect (or django)."
        )
elif DOCUMENT_SERVE_MODE == "redirect":
    raise ImproperlyConfigured(
        "DOCUMENT_SERVE_MODE=redirect needs documents in object storage "
        "(AWS_STORAGE_BUCKET_NAME); MEDIA_ROOT has no public address."
    )
# --- end of "Past one machine" -------------------------------------------------------------

# django-filter: the empty choice of every filter drop-down.
FILTERS_EMPTY_CHOICE_LABEL = "Any"

SITE_NAME = os.environ.get("SITE_NAME", "Surveillance Tracker")
# Two-factor sign-in (django-otp): the name authenticator apps show next to the account, and
# the throttle of wrong codes: after n successive wrong codes a device refuses every code for
# 2^(n-1) seconds times the factor (1, 2, 4, 8 ... seconds: 10 wrong codes wait 8.5 minutes).
OTP_TOTP_ISSUER = SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The admin lists people's authenticators and recovery codes (an admin removes a lost
# phone's there) without showing their secrets or the codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# The banner on every page saying the site holds demonstration data: "auto" shows it when the
# database holds the records `seed_demo` generates, "on" and "off" force it.
DEMO_BANNER = os.environ.get("DEMO_BANNER", "auto").strip().lower() or "auto"
if DEMO_BANNER not in {"auto", "on", "off"}:
    raise ImproperlyConfigured(f"DEMO_BANNER must be auto, on or off, not {DEMO_BANNER!r}")
# The site's public address, for the absolute links in what is built outside a request (the
# data package's `url` columns and the OCDS publisher).
SITE_URL = (os.environ.get("SITE_URL") or "http://localhost:8000").rstrip("/")
# The data package (`manage.py build_data_package`, served at /data/): where the archive is
# written, and the licence it is published under (an SPDX or Open Definition id, its title
# and address).
# An empty variable (as .env.example leaves it) means the default.
DATA_PACKAGE_DIR = Path(os.environ.get("DATA_PACKAGE_DIR") or BASE_DIR / "data" / "package")
DATA_LICENSE_NAME = os.environ.get("DATA_LICENSE_NAME", "ODbL-1.0")
DATA_LICENSE_TITLE = os.environ.get(
    "DATA_LICENSE_TITLE", "Open Data Commons Open Database License v1.0"
)
DATA_LICENSE_URL = os.environ.get(
    "DATA_LICENSE_URL", "https://opendatacommons.org/licenses/odbl/1-0/"
)
# How often reviewers may start a build from /data/ (django-ratelimit rate, for the whole site).
DATA_PACKAGE_BUILD_RATE = os.environ.get("DATA_PACKAGE_BUILD_RATE", "1/10m")
# Open Contracting Data Standard: the prefix of every contracting process's ocid. Register
# one with the Open Contracting Partnership before publishing; the default is a placeholder.
OCDS_OCID_PREFIX = os.environ.get("OCDS_OCID_PREFIX", "ocds-000000")
# Rows per page on list pages; exports stream every matching row.
LIST_PAGE_SIZE = int(os.environ.get("LIST_PAGE_SIZE", "50"))
# The deployment, contract and agency lists count exactly up to this many matching rows
# (COUNT over LIMIT n+1); past it they show PostgreSQL's planner estimate, "about 120,000".
LIST_EXACT_COUNT_LIMIT = int(os.environ.get("LIST_EXACT_COUNT_LIMIT", "10000"))
# Those lists page by cursor (?after=, ?before=); ?page=N, read by offset, is kept for old
# links up to this number only, since an offset gets slower the deeper it goes.
LIST_MAX_PAGE_NUMBER = int(os.environ.get("LIST_MAX_PAGE_NUMBER", "20"))
# The map's background tiles ({z}/{x}/{y} URL template) and the attribution their licence
# asks for (HTML, shown in the map's corner). The tile host is the only other host /map/
# loads from; set to empty, the map draws its markers on a blank background.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
# The Content-Security-Policy (django-csp; README, "Security headers"): this site's own files
# only, nothing inline (no <script> or <style> in a page, no style="" or onclick=""), no
# eval; images also from data: addresses (Leaflet's empty tile) and, added by the middleware
# (apps/core/csp.py), from MAP_TILE_URL's host. Violations are reported to csp_report, which
# logs them. CSP_REPORT_ONLY=true sends it as Content-Security-Policy-Report-Only: browsers
# report what it would block and block nothing, a way to try a changed policy live first.
CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    # Framing refused here too (X-Frame-Options says the same to older browsers).
    "frame-ancestors": ["'none'"],
    # report-uri alone: every browser posts each violation at once. Not report-to: Chromium
    # then ignores report-uri and sends the Reporting API's batches, which headless Chromium
    # was not seen to deliver at all (csp_report reads their format all the same).
    "report-uri": [reverse_lazy("csp_report")],
}
# (No CSP_REPORT_ONLY setting: django-csp's check refuses that name, its 3.x setting.)
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None
# Violation reports one client may send (django-ratelimit rate); past it they are answered
# 429 and not logged, so that nobody can fill the logs.
CSP_REPORT_RATE = os.environ.get("CSP_REPORT_RATE", "30/m")
# Browser features this site never uses, refused to its pages and to anything they embed
# (django-permissions-policy). Not clipboard-write: "Copy citation" writes to the clipboard.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}


def logging_config(log_format):
    """Everything to standard error (gunicorn's and systemd's journal, a container's log),
    one line a record: JSON (a log shipper reads the fields without parsing; an exception's
    traceback is one field, not many lines) or text (a developer's terminal)."""
    if log_format not in {"json", "text"}:
        raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "apps.core.request_log.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            },
            "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "filters": {"secret_paths": {"()": "apps.core.request_log.SecretPathFilter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["secret_paths"],
            },
            "null": {"class": "logging.NullHandler"},
        },
        "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "loggers": {
            # Django's own handlers off: its records reach the console above once, in this
            # format (with DEBUG on, Django's console handler printed them a second time, as
            # text), and nothing is mailed (ADMINS is empty).
            "django": {"handlers": [], "level": "INFO"},
            "django.db.backends": {"level": "INFO"},
            # runserver's own line per request repeats apps.core.request_log's with the query
            # string, and its "Broken pipe" messages name the client's address.
            "django.server": {"handlers": ["null"], "propagate": False},
        },
    }


# json or text (README, "Logs"); config.settings.local defaults to text.
LOG_FORMAT = os.environ.get("LOG_FORMAT") or "json"
LOGGING = logging_config(LOG_FORMAT)


def require_secret_key():
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
