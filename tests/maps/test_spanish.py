"""/es/map/: the map page's words in Spanish, the words map.js shows passed translated in
#map's data-* attributes, and the coordinates of the GeoJSON unlocalized."""

import json
import re

import pytest
from django.utils import translation

from tests.factories import AgencyFactory, DeploymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    """A request under /es/ leaves Spanish active in this thread: English again after each
    test, so that the tests run after these see the default language."""
    yield
    translation.deactivate()


@pytest.fixture
def placed():
    agency = AgencyFactory(
        name="Washington County Sheriff's Office",
        region="OR",
        latitude="45.522900",
        longitude="-122.989800",
    )
    DeploymentFactory.create_batch(2, agency=agency)
    DeploymentFactory(agency=AgencyFactory(name="Toronto Police Service", country="CA"))
    return agency


def test_the_map_page_is_in_spanish(client, placed):
    response = client.get("/es/map/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Mapa</h1>" in content
    assert "Agencias con despliegues publicados, ubicadas donde están" in content
    assert "Estos despliegues en forma de lista" in content
    assert ">Sus despliegues</th>" in content and 'data-label="Sus despliegues"' in content
    assert "2 despliegues" in content
    assert "<strong>1 agencia fuera del mapa</strong>" in content
    assert "not on the map" not in content
    assert "These deployments as a list" not in content
    # The words the script shows, translated, with {count} for the number.
    map_div = re.search(r'<div id="map"[^>]*>', content).group(0)
    assert 'data-status-many="{count} agencias en el mapa."' in map_div
    assert 'data-see-many="Ver sus {count} despliegues"' in map_div
    assert 'data-deployment-many="{count} despliegues"' in map_div
    assert 'data-failed="El mapa no pudo cargar sus marcadores' in map_div


def test_the_english_map_passes_the_english_words(client, placed):
    content = client.get("/map/").content.decode()
    assert 'data-status-many="{count} agencies on the map."' in content
    assert "<strong>1 agency not on the map</strong>" in content


def test_the_geojson_coordinates_stay_unlocalized_in_spanish(client, placed):
    response = client.get("/es/map/")
    geojson_url = re.search(r'data-geojson="([^"]+)"', response.content.decode()).group(1)
    data = client.get(geojson_url.replace("&amp;", "&"))
    assert data.status_code == 200
    text = data.content.decode()
    assert "-122.9898" in text and "45.5229" in text
    assert "45,5229" not in text
    feature = json.loads(text)["features"][0]
    assert feature["geometry"]["coordinates"] == [-122.9898, 45.5229]
