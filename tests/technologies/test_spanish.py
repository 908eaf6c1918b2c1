"""The technology pages in Spanish (/es/...): headings, labels and status names are
translated; the counts by status are cached without their labels, so each language gets its
own."""

import pytest
from django.utils import translation

from tests.factories import DeploymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request under /es/ leaves Spanish active in this thread (LocaleMiddleware does not
    reset it): the next test's reverse() would write /es/ addresses."""
    yield
    translation.deactivate()


def test_technology_list_in_spanish(client):
    DeploymentFactory()
    response = client.get("/es/technologies/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Tecnologías</h1>" in html
    assert '<th scope="col">Qué es</th>' in html
    assert "Más despliegues" in html
    assert '<th scope="col">What it is</th>' not in html


def test_technology_detail_in_spanish_then_english(client):
    DeploymentFactory(status="active")
    response = client.get("/es/technologies/face-recognition/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>1</strong> despliegue</a>" in html
    assert "Por estado" in html
    assert '&amp;status=active">Activo</a>' in html
    assert "Últimos despliegues" in html
    assert "Latest deployments" not in html
    # The same cached counts, read in English.
    html = client.get("/technologies/face-recognition/").content.decode()
    assert '&amp;status=active">Active</a>' in html
    assert "Latest deployments" in html
