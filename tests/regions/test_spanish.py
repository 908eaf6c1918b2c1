"""/es/regions/ and a region's page: their words in Spanish, and the charts' SVG geometry
unlocalized."""

import re

import pytest
from django.utils import translation

from tests.factories import AgencyFactory, ContractFactory, DeploymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    """A request under /es/ leaves Spanish active in this thread: English again after each
    test, so that the tests run after these see the default language."""
    yield
    translation.deactivate()


@pytest.fixture
def oregon():
    portland = AgencyFactory(name="Portland Police", region="OR", locality="Portland")
    salem = AgencyFactory(name="Salem Police", region="OR", locality="Salem")
    DeploymentFactory.create_batch(2, agency=portland)
    DeploymentFactory(agency=salem)
    ContractFactory(agency=portland)
    return portland


def test_the_region_list_is_in_spanish(client, oregon):
    response = client.get("/es/regions/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Regiones</h1>" in content
    assert "Estados y regiones con agencias en el registro." in content
    assert '<th scope="col">País</th>' in content
    assert "<h1>Regions</h1>" not in content


def test_a_region_page_is_in_spanish_with_unlocalized_charts(client, oregon):
    response = client.get("/es/regions/US/OR/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<strong>2</strong> agencias" in content
    assert "<strong>3</strong> despliegues" in content
    assert "<strong>1</strong> contrato<" in content
    assert "Seguir los cambios en Oregon (canal Atom)" in content
    assert '<h2 id="charts-heading">En gráficos</h2>' in content
    assert "Despliegues iniciados por año" in content
    assert "Deployments started per year" not in content
    assert "In charts" not in content
    for svg in re.findall(r"<svg.*?</svg>", content, flags=re.S):
        numbers = re.findall(r' (?:x|y|width|height)="([^"]*)"', svg)
        assert all(re.fullmatch(r"\d+(\.\d+)?", n) for n in numbers), numbers
        assert re.search(r' width="\d+\.\d"', svg)
