"""Demo data is a development tool: the local and test settings install it, production does
not, and nothing production runs imports Faker (a development dependency)."""

import ast

import pytest

from tests.core.test_settings import ROOT, manage

# Loads the settings and every installed app (their models, admin, URLs and management
# commands' modules), then reports what it found.
PROBE = """
import sys
from django.apps import apps
from django.core.management import get_commands
from django.urls import get_resolver

get_resolver().url_patterns
from django.contrib import admin
admin.autodiscover()
print("installed" if apps.is_installed("apps.demo") else "not installed")
print("seed_demo" if "seed_demo" in get_commands() else "no seed_demo")
print("faker imported" if "faker" in sys.modules else "no faker")
"""


def probe(settings_module):
    result = manage(
        "shell",
        "--command",
        PROBE,
        DJANGO_SETTINGS_MODULE=settings_module,
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="tracker.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-3:]


def test_production_has_no_demo_app_no_seed_demo_and_no_faker():
    assert probe("config.settings.production") == ["not installed", "no seed_demo", "no faker"]


@pytest.mark.parametrize("settings_module", ["config.settings.local", "config.settings.test"])
def test_development_settings_install_the_demo_app(settings_module):
    assert probe(settings_module)[:2] == ["installed", "seed_demo"]


def test_only_the_demo_app_and_the_tests_import_faker():
    importers = []
    for path in [*ROOT.glob("apps/**/*.py"), *ROOT.glob("config/**/*.py")]:
        if path.is_relative_to(ROOT / "apps" / "demo"):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(name.split(".")[0] == "faker" for name in names):
                importers.append(str(path.relative_to(ROOT)))
    assert importers == []
