import os
import subprocess
import sys
from pathlib import Path

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


def database_setting(settings_module, name, **env):
    """A DATABASES["default"] entry as `settings_module` computes it from `env` (read in a
    fresh process, since settings are computed once per process)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DB_CONN_MAX_AGE", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, SECRET_KEY="x" * 60, **env)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; "
            f"print(repr(settings.DATABASES['default'][{name!r}]))",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
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
