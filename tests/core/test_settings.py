import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "REDIS_URL"}
    }
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="tracker.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = manage("check", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_to_start_without_a_shared_cache():
    result = manage("check", SECRET_KEY="x" * 60, ALLOWED_HOSTS="tracker.example.org")
    assert result.returncode != 0
    assert "REDIS_URL must be set" in result.stderr


# Variables of the environment these tests set themselves.
SETTINGS_VARIABLES = {
    "DATABASE_URL",
    "DB_CONN_MAX_AGE",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_REPLICA_URL",
    "DB_POOL",
    "DB_PREPARED_STATEMENTS",
    "AWS_STORAGE_BUCKET_NAME",
    "DOCUMENT_SERVE_MODE",
    "LOG_FORMAT",
}


def run_python(settings_module, code, **env):
    """`code` run in a fresh process with `settings_module` and `env` (settings are computed
    once per process)."""
    environment = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, SECRET_KEY="x" * 60, **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def compute_settings(settings_module, expression, **env):
    """`expression` (Python, over `settings`) as `settings_module` computes it from `env`."""
    code = f"from django.conf import settings; print(repr({expression}))"
    return run_python(settings_module, code, **env)


def settings_value(settings_module, expression, **env):
    result = compute_settings(settings_module, expression, **env)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())


def database_setting(settings_module, name, **env):
    """A DATABASES["default"] entry as `settings_module` computes it from `env`."""
    result = compute_settings(settings_module, f"settings.DATABASES['default'][{name!r}]", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


POSTGRES_URL = "postgres://tracker@127.0.0.1:5432/tracker"


def test_development_on_postgresql_closes_connections_after_each_request():
    # A burst of requests to runserver opened one persistent connection per thread.
    assert (
        database_setting("config.settings.local", "CONN_MAX_AGE", DATABASE_URL=POSTGRES_URL) == "0"
    )


def test_development_keeps_connections_when_asked():
    setting = database_setting(
        "config.settings.local", "CONN_MAX_AGE", DATABASE_URL=POSTGRES_URL, DB_CONN_MAX_AGE="30"
    )
    assert setting == "30"


def test_production_keeps_persistent_connections():
    setting = database_setting(
        "config.settings.production",
        "CONN_MAX_AGE",
        DATABASE_URL=POSTGRES_URL,
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert setting == "60"


def test_an_empty_database_url_means_the_embedded_sqlite_file(tmp_path):
    # .env.example leaves DATABASE_URL empty: that must mean "unset", not a settings crash.
    result = manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL="",
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION = {"REDIS_URL": "redis://127.0.0.1:6379/0", "ALLOWED_HOSTS": "tracker.example.org"}
REPLICA_URL = "postgres://reader@10.0.0.2:5432/tracker"


def test_a_replica_url_adds_the_replica_and_its_router():
    replica = settings_value(
        "config.settings.production",
        "(settings.DATABASES['replica'], settings.DATABASE_ROUTERS, settings.MIDDLEWARE[-1])",
        DATABASE_URL=POSTGRES_URL,
        DATABASE_REPLICA_URL=REPLICA_URL,
        **PRODUCTION,
    )
    database, routers, middleware = replica
    assert (database["HOST"], database["USER"], database["NAME"]) == (
        "10.0.0.2",
        "reader",
        "tracker",
    )
    assert database["CONN_MAX_AGE"] == 60
    assert routers == ["apps.core.db_routing.ReplicaRouter"]
    assert middleware == "apps.core.db_routing.ReplicaRequestMiddleware"


def test_without_a_replica_url_there_is_no_router():
    aliases, routers, middleware = settings_value(
        "config.settings.production",
        "(list(settings.DATABASES), settings.DATABASE_ROUTERS, settings.MIDDLEWARE)",
        DATABASE_URL=POSTGRES_URL,
        **PRODUCTION,
    )
    assert aliases == ["default"]
    assert routers == []
    assert not any("db_routing" in name for name in middleware)


def test_the_pool_replaces_persistent_connections_on_every_alias():
    databases = settings_value(
        "config.settings.production",
        "{alias: (db['OPTIONS'].get('pool'), db['CONN_MAX_AGE']) "
        "for alias, db in settings.DATABASES.items()}",
        DATABASE_URL=POSTGRES_URL,
        DATABASE_REPLICA_URL=REPLICA_URL,
        DB_POOL="true",
        DB_POOL_MAX_SIZE="8",
        DB_CONN_MAX_AGE="60",  # as .env.example has it: Django refuses both together
        **PRODUCTION,
    )
    pool = {"min_size": 2, "max_size": 8, "timeout": 10.0}
    assert databases == {"default": (pool, 0), "replica": (pool, 0)}


@pytest.mark.parametrize("value, threshold", [(None, 5), ("false", None)])
def test_prepared_statements_are_a_setting_of_every_postgresql_alias(value, threshold):
    """psycopg prepares what a server-binding cursor runs 5 times (the API's page JSON);
    None, Django's default, prepares nothing, as a pooler without them needs."""
    switch = {} if value is None else {"DB_PREPARED_STATEMENTS": value}
    thresholds = settings_value(
        "config.settings.production",
        "{alias: db['OPTIONS']['prepare_threshold'] for alias, db in settings.DATABASES.items()}",
        DATABASE_URL=POSTGRES_URL,
        DATABASE_REPLICA_URL=REPLICA_URL,
        DB_POOL="true",
        **switch,
        **PRODUCTION,
    )
    assert thresholds == {"default": threshold, "replica": threshold}


def test_development_with_a_pool_keeps_it():
    pool = settings_value(
        "config.settings.local",
        "settings.DATABASES['default']['OPTIONS']['pool']",
        DATABASE_URL=POSTGRES_URL,
        DB_POOL="true",
    )
    assert pool["max_size"] == 4


def test_the_pool_is_refused_on_sqlite(tmp_path):
    result = compute_settings(
        "config.settings.local",
        "settings.DATABASES",
        DB_POOL="true",
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
    )
    assert result.returncode != 0
    assert "DB_POOL needs PostgreSQL" in result.stderr


S3 = {"AWS_STORAGE_BUCKET_NAME": "tracker-documents", "AWS_S3_ENDPOINT_URL": "https://s3.test"}


def test_a_bucket_puts_uploads_in_private_object_storage():
    storage = settings_value(
        "config.settings.production",
        "settings.STORAGES['default']",
        DATABASE_URL=POSTGRES_URL,
        DOCUMENT_SERVE_MODE="redirect",
        **S3,
        **PRODUCTION,
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "tracker-documents"
    assert options["endpoint_url"] == "https://s3.test"
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 300
    assert options["signature_version"] == "s3v4"
    assert options["file_overwrite"] is False


def test_without_a_bucket_uploads_stay_on_disk():
    storage = settings_value(
        "config.settings.production",
        "settings.STORAGES['default']['BACKEND']",
        DATABASE_URL=POSTGRES_URL,
        **PRODUCTION,
    )
    assert storage == "django.core.files.storage.FileSystemStorage"


def test_serve_modes_that_cannot_work_with_the_storage_are_refused():
    on_disk = compute_settings(
        "config.settings.production", "settings.DEBUG", DOCUMENT_SERVE_MODE="redirect", **PRODUCTION
    )
    assert on_disk.returncode != 0
    assert "DOCUMENT_SERVE_MODE=redirect needs documents in object storage" in on_disk.stderr
    for mode in ("x-accel-redirect", "x-sendfile"):
        in_bucket = compute_settings(
            "config.settings.production",
            "settings.DEBUG",
            DOCUMENT_SERVE_MODE=mode,
            **S3,
            **PRODUCTION,
        )
        assert in_bucket.returncode != 0
        assert f"{mode} needs documents on disk" in in_bucket.stderr


# Requests through Django's WSGI handler as gunicorn calls it: a request closes its
# database connection when it ends (request_finished), which with a pool gives it back.
POOLED_REQUESTS = """
from wsgiref.util import setup_testing_defaults
from django.core.wsgi import get_wsgi_application
from django.db import connection

application = get_wsgi_application()
statuses = []
for _ in range(3):
    environ = {"PATH_INFO": "/deployments/"}
    setup_testing_defaults(environ)
    response = application(environ, lambda status, headers: statuses.append(status[:3]))
    b"".join(response)
    response.close()
stats = connection.pool.get_stats()
print(repr((statuses, stats["connections_num"], stats["requests_num"])))
"""


@pytest.mark.django_db
def test_requests_are_served_through_the_pool_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the pool is PostgreSQL's (psycopg_pool)")
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or 'localhost'}"
        f":{database['PORT'] or 5432}/{database['NAME']}"
    )
    result = run_python(
        "config.settings.test",
        POOLED_REQUESTS,
        DATABASE_URL=url,
        ALLOWED_HOSTS="127.0.0.1",
        DB_POOL="true",
        DB_POOL_MIN_SIZE="1",
        DB_POOL_MAX_SIZE="1",
    )
    assert result.returncode == 0, result.stderr
    statuses, connections_opened, connections_lent = ast.literal_eval(result.stdout.strip())
    assert statuses == ["200", "200", "200"]
    # Each request borrowed the pool's one connection and gave it back for the next.
    assert (connections_opened, connections_lent) == (1, 3)


def test_the_pages_may_have_a_redis_of_their_own():
    expression = "(settings.CACHES['default']['LOCATION'], settings.CACHES['pages']['LOCATION'])"
    counters, pages = settings_value(
        "config.settings.production",
        expression,
        DATABASE_URL=POSTGRES_URL,
        PAGE_CACHE_REDIS_URL="redis://10.0.0.3:6379/0",
        **PRODUCTION,
    )
    assert (counters, pages) == (PRODUCTION["REDIS_URL"], "redis://10.0.0.3:6379/0")
    shared = settings_value(
        "config.settings.production", expression, DATABASE_URL=POSTGRES_URL, **PRODUCTION
    )
    assert shared == (PRODUCTION["REDIS_URL"], PRODUCTION["REDIS_URL"])


CONSOLE_FORMAT = "settings.LOGGING['handlers']['console']['formatter']"


def test_logs_are_json_in_production_and_text_in_development():
    production = settings_value(
        "config.settings.production", CONSOLE_FORMAT, DATABASE_URL=POSTGRES_URL, **PRODUCTION
    )
    assert production == "json"
    assert settings_value("config.settings.local", CONSOLE_FORMAT) == "text"
    assert settings_value("config.settings.local", CONSOLE_FORMAT, LOG_FORMAT="json") == "json"


@pytest.mark.django_db
def test_production_answers_health_probes_over_plain_http(client, settings):
    # A load balancer probes the app's own address, without X-Forwarded-Proto.
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = settings_value(
        "config.settings.production",
        "settings.SECURE_REDIRECT_EXEMPT",
        DATABASE_URL=POSTGRES_URL,
        **PRODUCTION,
    )
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
