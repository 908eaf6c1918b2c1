"""/es/search/: the search page's words, its form's labels, its counts and the 429 of too many
searches in Spanish."""

import pytest
from django.utils import translation

from apps.records.models import SearchEntry
from tests.factories import AgencyFactory, DeploymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    """A request under /es/ leaves Spanish active in this thread: English again after each
    test, so that the tests run after these see the default language."""
    yield
    translation.deactivate()


def test_the_search_page_is_in_spanish(client):
    response = client.get("/es/search/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Buscar en el registro" in content
    assert "Search the registry</h2>" not in content
    assert "Tipo de registro" in content  # the form's labels (apps/search/forms.py)
    assert "Un código o un nombre, p. ej., OR u Oregon." in content
    assert "Escriba un nombre, un lugar, un identificador" in content
    assert "Type a name, a place, an identifier" not in content


def test_results_and_their_count_are_in_spanish(client):
    agency = AgencyFactory(name="Orlando Police Department", region="FL")
    DeploymentFactory(agency=agency)
    response = client.get("/es/search/", {"q": "orlando"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Resultados de la búsqueda de “orlando”" in content
    assert "Se encontraron 2 registros, de 2 tipos." in content
    assert "records found" not in content
    nothing = client.get("/es/search/", {"q": "zzzyxw"}).content.decode()
    assert "Nada de lo publicado coincide con “zzzyxw”." in nothing


def test_an_invalid_region_is_explained_in_spanish(client):
    response = client.get("/es/search/", {"q": "police", "region": "Atlantis"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Corrija 1 problema" in content
    assert "Ninguna región se llama ni tiene el código “Atlantis”" in content


def test_too_many_searches_are_refused_in_spanish(client, settings):
    settings.SEARCH_RATE = "1/m"
    assert client.get("/es/search/", {"q": "plates"}).status_code == 200
    response = client.get("/es/search/", {"q": "plates"})
    assert response.status_code == 429
    content = response.content.decode()
    assert "<h1>Demasiadas solicitudes</h1>" in content
    assert "Demasiadas búsquedas desde su conexión en poco tiempo" in content
    assert "Too many searches" not in content


def test_results_link_to_the_page_in_the_readers_language(client):
    # Saved while a Spanish page is being answered (a reviewer reading the site in Spanish):
    # the index keeps the address without a language prefix.
    with translation.override("es"):
        agency = AgencyFactory(name="Orlando Police Department", region="FL")
    entry = SearchEntry.objects.get(kind="agencies", record_id=agency.pk)
    assert entry.url == f"/agencies/{agency.slug}/"

    spanish = client.get("/es/search/", {"q": "orlando"}).content.decode()
    english = client.get("/search/", {"q": "orlando"}).content.decode()

    assert f'href="/es/agencies/{agency.slug}/"' in spanish
    assert f'href="/agencies/{agency.slug}/"' in english
    assert "/es/agencies/" not in english
