import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.editing.models import ChangeRequest
from apps.sources.models import Source
from tests.editing.test_deployment_editing import deployment_form
from tests.factories import AgencyFactory, ProductFactory

pytestmark = pytest.mark.django_db


def tiny_pdf(text):
    """A one-page PDF whose page shows `text` (written by hand: no PDF library needed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_uploaded_pdf_becomes_a_source_with_its_text(volunteer_client):
    agency, product = AgencyFactory(), ProductFactory()
    upload = SimpleUploadedFile(
        "release.pdf", tiny_pdf("Non-disclosure agreement with the vendor"), "application/pdf"
    )
    data = deployment_form(
        agency, product, new_source_url="", new_source_title="County records release"
    )
    data["new_source_document"] = upload
    response = volunteer_client.post("/deployments/new/", data)
    assert response.status_code == 302
    source = ChangeRequest.objects.get().record.sources.get()
    assert source.document.name.endswith(".pdf")
    assert "Non-disclosure agreement with the vendor" in source.document_text


def test_a_file_that_is_not_a_pdf_is_refused(volunteer_client):
    agency, product = AgencyFactory(), ProductFactory()
    data = deployment_form(agency, product, new_source_url="", new_source_title="Fake")
    data["new_source_document"] = SimpleUploadedFile(
        "release.pdf", b"<html>not a pdf</html>", "application/pdf"
    )
    response = volunteer_client.post("/deployments/new/", data)
    assert response.status_code == 400
    assert "The document is not a PDF file." in response.content.decode()
    assert not Source.objects.filter(title="Fake").exists()
