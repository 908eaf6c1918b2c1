"""The source pages in Spanish (/es/): headings, labels, kinds and upload messages."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from apps.sources.uploads import validate_document
from tests.factories import ContractFactory, SourceFactory

pytestmark = pytest.mark.django_db


def spanish(client, path):
    # A record's address is in the language active when it is asked for.
    response = client.get(path if path.startswith("/es/") else f"/es{path}")
    assert response.status_code == 200
    return response.content.decode()


def test_source_list_in_spanish(client):
    SourceFactory(title="Police bought cameras", kind="court-filing")
    page = spanish(client, "/sources/")
    assert "<h1>Fuentes</h1>" in page
    assert '<th scope="col">Editor</th>' in page
    assert "Escrito judicial" in page  # the kind's label
    assert "Título A–Z" in page  # a sort option
    assert "Año de publicación" in page  # a filter's label
    assert "Police bought cameras" in page
    for english in ("Publisher A–Z", "Court filing", "Year published"):
        assert english not in page


def test_source_detail_in_spanish(client):
    source = SourceFactory(publisher="Example Gazette")
    ContractFactory(sources=[source])
    page = spanish(client, source.get_absolute_url())
    assert "Noticia de Example Gazette" in page
    assert "Leer el original" in page
    assert "Registros que citan esta fuente" in page
    assert "<h3>Contratos</h3>" in page
    assert "Read the original" not in page


def test_upload_message_in_spanish():
    empty = SimpleUploadedFile("report.pdf", b"", content_type="application/pdf")
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        validate_document(empty)
    assert refused.value.messages == ["El archivo está vacío."]
    markup = SimpleUploadedFile("report.pdf", b"<html></html>", content_type="application/pdf")
    with translation.override("es"):
        with pytest.raises(ValidationError) as refused:
            validate_document(markup)
        # The message is lazy: read while Spanish is active, as a page under /es/ does.
        assert "no un PDF" in refused.value.messages[0]
