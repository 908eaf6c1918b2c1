"""The banner that says the site holds demonstration data (DEMO_BANNER)."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DeploymentFactory, SourceFactory

pytestmark = pytest.mark.django_db

BANNER = "This site holds demonstration data:"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _auto(settings):
    """The default of every environment but the tests (see config/settings/test.py)."""
    settings.DEMO_BANNER = "auto"
    cache.clear()
    yield
    cache.clear()


def demo_source():
    """A source like the ones seed_demo generates: a made-up document on records.example.org."""
    return SourceFactory(url="https://records.example.org/purchase-order/2019-00042")


def shows_banner(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200, url
    return BANNER in response.content.decode()


def test_no_banner_on_a_database_without_demo_data(client):
    # Sources on other example domains (the test factories' news.example.org) are not demo data.
    DeploymentFactory()
    for url in ["/", "/deployments/", "/submit/", "/accounts/login/"]:
        assert not shows_banner(client, url), url


def test_seed_demo_turns_the_banner_on_for_every_page(client):
    assert not shows_banner(client)  # remembered in the cache: no demo data
    call_command("seed_demo", stdout=StringIO())
    deployment = DeploymentFactory()
    pages = [
        "/",
        "/deployments/",
        deployment.get_absolute_url(),
        "/agencies/",
        "/sources/",
        "/submit/",
        "/accounts/login/",
        "/changes/",
    ]
    for url in pages:
        assert shows_banner(client, url), url


def test_the_loader_alone_is_noticed_once_the_cached_answer_expires(client):
    from apps.demo.loader import load_demo_data
    from apps.sources.demo_banner import forget_demo_data_check

    assert not shows_banner(client)
    load_demo_data()
    forget_demo_data_check()  # what the cache timeout does a few minutes later
    assert shows_banner(client)


def test_off_hides_the_banner_even_with_demo_data(client, settings):
    demo_source()
    assert shows_banner(client)
    settings.DEMO_BANNER = "off"
    assert not shows_banner(client)


def test_on_shows_the_banner_without_demo_data(client, settings):
    settings.DEMO_BANNER = "on"
    assert shows_banner(client)
    assert shows_banner(client, "/deployments/")


def test_the_check_costs_no_query_per_request(client, settings):
    demo_source()
    settings.DEMO_BANNER = "off"
    with CaptureQueriesContext(connection) as without_banner:
        client.get("/deployments/")
    settings.DEMO_BANNER = "auto"
    with CaptureQueriesContext(connection) as first:
        assert shows_banner(client, "/deployments/")
    # One query to learn the answer, then none while the cache keeps it.
    assert len(first) == len(without_banner) + 1
    for _ in range(3):
        with CaptureQueriesContext(connection) as later:
            assert shows_banner(client, "/deployments/")
        assert len(later) == len(without_banner)


def test_an_unknown_setting_is_refused_at_startup():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    environment["DEMO_BANNER"] = "sometimes"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DEMO_BANNER must be auto, on or off" in result.stderr
