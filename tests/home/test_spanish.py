"""The home page under /es/: its words, the site menu's and the charts' in Spanish, and the
charts' SVG geometry unlocalized (a coordinate "13.0", never "13,0")."""

import re

import pytest
from django.utils import translation

from tests.factories import DeploymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    """A request under /es/ leaves Spanish active in this thread: English again after each
    test, so that the tests run after these see the default language."""
    yield
    translation.deactivate()


def test_the_home_page_is_in_spanish(client):
    DeploymentFactory.create_batch(2)
    response = client.get("/es/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "¿Qué agencias de gobierno usan qué tecnología de vigilancia?" in content
    assert "Which government agencies use which surveillance technology?" not in content
    assert "Despliegues agregados recientemente" in content
    assert "Recently added deployments" not in content
    assert ">Mostrar despliegues</button>" in content
    assert "Cualquier tecnología" in content
    assert "2 despliegues" in content
    # The site menu's own entries (apps/home/context_processors.py).
    assert ">Regiones</a>" in content and ">Mapa</a>" in content
    # The charts' words (apps/charts/selectors.py) and their table.
    assert "Despliegues por tecnología" in content
    assert "Deployments by technology" not in content
    assert "Despliegues por tecnología: las cifras" in content


def test_the_charts_geometry_stays_unlocalized_in_spanish(client):
    DeploymentFactory.create_batch(3)
    content = client.get("/es/").content.decode()
    svg = content[content.index("<svg") : content.index("</svg>")]
    assert re.search(r'viewBox="0 0 640 \d+"', svg)
    numbers = re.findall(r' (?:x|y|width|height)="([^"]*)"', svg)
    assert numbers and all(re.fullmatch(r"\d+(\.\d+)?", n) for n in numbers), numbers
    assert re.search(r' y="\d+\.\d"', svg)
    assert not re.search(r' (?:x|y|width|height)="\d+,\d', svg)


def test_the_charts_are_computed_in_each_language(client, settings):
    """Charts are kept once computed (apps/core/figures.py): each language has its own."""
    DeploymentFactory()
    settings.PAGE_CACHE = True
    assert "Despliegues por tecnología" in client.get("/es/").content.decode()
    english = client.get("/").content.decode()
    assert "Deployments by technology" in english
    assert "Despliegues por tecnología" not in english


def test_the_english_home_page_is_unchanged(client):
    DeploymentFactory()
    content = client.get("/").content.decode()
    assert "Which government agencies use which surveillance technology?" in content
    assert ">Regions</a>" in content and ">Map</a>" in content
