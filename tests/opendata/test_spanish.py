"""/es/data/: the download page's words in Spanish; the package and OCDS stay English."""

import pytest
from django.utils import translation

from apps.contracts.models import ProcurementMethod
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    """A request under /es/ leaves Spanish active in this thread: English again after each
    test, so that the tests run after these see the default language."""
    yield
    translation.deactivate()


def test_the_data_page_is_in_spanish(client, data_dir, records):
    response = client.get("/es/data/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Descargar los datos</h1>" in content
    assert "Aún no se ha generado ningún paquete de datos" in content
    assert "python manage.py build_data_package" in content
    assert "Cómo citarlo" in content
    assert "How to cite it" not in content
    assert "No data package has been built yet" not in content


def test_ocds_stays_english_under_es(client, data_dir, records):
    contract = ContractFactory(procurement_method=ProcurementMethod.SOLE_SOURCE)
    english = client.get(f"/contracts/{contract.pk}/ocds.json").json()
    spanish = client.get(f"/es/contracts/{contract.pk}/ocds.json")
    assert spanish.status_code == 200
    assert spanish.json()["releases"] == english["releases"]
    package = b"".join(client.get("/es/data/ocds.json").streaming_content).decode()
    assert "/es/" not in package.replace('"uri": "http://testserver/es/data/ocds.json"', "")
