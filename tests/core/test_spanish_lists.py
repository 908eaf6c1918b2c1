"""The shared list components under /es/ (templates/core/list_base.html and
templates/core/components/): filters, count, exports, pagination and errors in Spanish;
partial dates with Spanish month names."""

import datetime
import re

import pytest
from django.utils import translation

from apps.core.partial_dates import PartialDate
from tests.factories import DeploymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    """A request under /es/ leaves Spanish active in this thread: English again after each
    test, so that the tests run after these see the default language."""
    yield
    translation.deactivate()


def test_a_list_page_is_in_spanish(client, settings):
    settings.LIST_PAGE_SIZE = 2
    DeploymentFactory.create_batch(3)
    response = client.get("/es/deployments/")
    assert response.status_code == 200
    content = response.content.decode()
    assert ">Aplicar los filtros</button>" in content
    assert ">Quitar todos</a>" in content
    assert "Filtrar u ordenar esta lista" in content
    assert "Se muestran 1–2 de 3 " in content
    assert "Descargar esta selección:" in content
    assert 'aria-label="Páginas"' in content and "Siguiente →" in content
    assert "Ordenar por" in content  # RegistryFilterSet's sort label
    assert "Apply filters" not in content and "Showing 1–2" not in content
    after = re.search(r'href="\?([^"]*)" rel="next"', content).group(1).replace("&amp;", "&")
    second = client.get(f"/es/deployments/?{after}")
    assert "← Anterior" in second.content.decode()


def test_invalid_filters_are_explained_in_spanish(client):
    DeploymentFactory()
    response = client.get("/es/deployments/", {"page": "abc"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "No se pudo filtrar esta lista" in content
    assert "“abc” no es un número de página." in content
    assert "Mostrar la lista completa" in content


def test_unknown_parameters_and_active_filters_are_said_in_spanish(client):
    deployment = DeploymentFactory()
    response = client.get(
        "/es/deployments/", {"regoin": "OR", "technology": deployment.technology.slug}
    )
    content = response.content.decode()
    assert "No es un filtro de esta lista, por lo que no se aplicó:" in content
    assert "Filtros activos" in content
    assert 'aria-label="Quitar el filtro ' in content


def test_partial_dates_read_in_the_active_language():
    day = PartialDate(datetime.date(2017, 5, 20), "day")
    month = PartialDate(datetime.date(2017, 5, 1), "month")
    year = PartialDate(datetime.date(2017, 1, 1), "year")
    with translation.override("en"):
        assert (str(day), str(month), str(year)) == ("20 May 2017", "May 2017", "2017")
    with translation.override("es"):
        assert (str(day), str(month), str(year)) == ("20 de mayo de 2017", "mayo de 2017", "2017")


def test_large_counts_group_digits_in_the_active_language():
    from apps.core.pagination import grouped

    with translation.override("en"):
        assert grouped(120000) == "120,000"
    with translation.override("es"):
        assert grouped(120000) != "120,000" and grouped(120000).replace("\xa0", "") == "120000"
