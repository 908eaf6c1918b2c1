"""Hostile uploads, through every form that takes a document: the source form and a record
form's "Add a new source" (a volunteer's), and the Django admin. Each is refused with a
message naming why, and nothing is stored: no row, no file under MEDIA_ROOT. A plain PDF
still goes in, and every document goes out as a download that no browser runs.

The attack files are built here, small: no binary fixtures."""

import functools
import io
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape
from fpdf import FPDF

from apps.records.models import ChangeRequest
from apps.sources import uploads
from apps.sources.models import Source
from tests.editing.test_admin_writes import admin_data
from tests.editing.test_deployment_editing import deployment_form
from tests.editing.test_record_forms_editing import edit_data
from tests.editing.test_source_editing import source_form
from tests.factories import AgencyFactory, ProductFactory, SourceFactory, sign_in
from tests.sources.pdfs import pdf_with, stream_object

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>alert(document.cookie)</script>"


def clean_pdf(text="Contract between the county and the vendor"):
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text=text)
    return bytes(document.output())


def encrypted_pdf(user_password="secret"):
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="Sealed")
    document.set_encryption(owner_password="owner", user_password=user_password)
    return bytes(document.output())


def zip_archive():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("index.html", b"<html>" + SCRIPT + b"</html>")
    return archive.getvalue()


@functools.cache
def flate_bomb():
    """A page drawing a 200 MB stream of zeros, compressed to about 200 KB."""
    compressor, parts = zlib.compressobj(9), []
    chunk = bytes(2**20)
    for _ in range(200):
        parts.append(compressor.compress(chunk))
    data = b"".join(parts) + compressor.flush()
    return pdf_with(
        page=b"/Resources << /XObject << /Fm 5 0 R >> >>",
        extra=[stream_object(data, b"/Type /XObject /Subtype /Form /Filter /FlateDecode")],
    )


MARKUP = "The file is a web page, SVG image, XML file or script, not a PDF"
ATTACKS = {
    "svg-with-script": (
        "chart.svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT + b"</svg>",
        "File extension “svg” is not allowed",
    ),
    "svg-renamed-to-pdf": (
        "chart.pdf",
        lambda: (
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT + b"</svg>"
        ),
        MARKUP,
    ),
    "html-renamed-to-pdf": (
        "release.pdf",
        lambda: b"\xef\xbb\xbf\n  <!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>",
        MARKUP,
    ),
    "html-with-pdf-signature-inside": (
        "release.pdf",
        lambda: b"<html>%PDF-1.4\n" + SCRIPT + b"</html>",
        MARKUP,
    ),
    "pdf-signature-then-html": (
        "release.pdf",
        lambda: b"%PDF-1.4\n<html><body>" + SCRIPT + b"</body></html>",
        MARKUP,
    ),
    "pdf-zip-polyglot": (
        "release.pdf",
        lambda: clean_pdf() + zip_archive(),
        "The file is both a PDF and a ZIP archive (a polyglot)",
    ),
    "html-after-the-end-of-the-pdf": (
        "release.pdf",
        lambda: clean_pdf() + b"\n" * 1024 + b"<html>" + SCRIPT + b"</html>",
        "The file has a web page or script after the end of the PDF",
    ),
    "open-action-javascript": (
        "release.pdf",
        lambda: pdf_with(
            catalog=b"/OpenAction 5 0 R",
            extra=[b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"],
        ),
        "The PDF contains JavaScript (a JavaScript action)",
    ),
    "document-javascript-in-the-names-tree": (
        "release.pdf",
        lambda: pdf_with(
            catalog=b"/Names << /JavaScript 5 0 R >>",
            extra=[b"<< /Names [(start) 6 0 R] >>", b"<< /S /JavaScript /JS 7 0 R >>"]
            + [stream_object(b"app.alert(1)")],
        ),
        "The PDF contains JavaScript (document-level JavaScript)",
    ),
    "page-open-launch-action": (
        "release.pdf",
        lambda: pdf_with(page=b"/AA << /O << /S /Launch /F (cmd.exe) >> >>"),
        "The PDF contains an action that launches a program",
    ),
    "embedded-file": (
        "release.pdf",
        lambda: pdf_with(
            catalog=b"/Names << /EmbeddedFiles << /Names [(invoice.exe) 5 0 R] >> >>",
            extra=[
                b"<< /Type /Filespec /F (invoice.exe) /EF << /F 6 0 R >> >>",
                stream_object(b"MZ\x90\x00", b"/Type /EmbeddedFile"),
            ],
        ),
        "The PDF carries an embedded file",
    ),
    "file-attachment-annotation": (
        "release.pdf",
        lambda: pdf_with(
            page=b"/Annots [5 0 R]",
            extra=[b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] >>"],
        ),
        "The PDF carries a file attachment annotation",
    ),
    "flate-decompression-bomb": (
        "release.pdf",
        flate_bomb,
        "a decompression bomb",
    ),
    "image-of-ten-billion-pixels": (
        "release.pdf",
        lambda: pdf_with(
            page=b"/Resources << /XObject << /Im 5 0 R >> >>",
            extra=[
                stream_object(
                    b"",
                    b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000 "
                    b"/BitsPerComponent 8 /ColorSpace /DeviceGray",
                )
            ],
        ),
        "an image of 10,000,000,000 pixels",
    ),
    "empty-file": ("release.pdf", lambda: b"", "The submitted file is empty."),
    "encrypted-pdf": (
        "release.pdf",
        encrypted_pdf,
        "The PDF is encrypted: it needs a password to open.",
    ),
    "unreadable-pdf": (
        "release.pdf",
        lambda: b"%PDF-1.7\nno objects, no cross-reference table, no trailer\n",
        "The PDF could not be read",
    ),
}


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(settings):
    """What is under MEDIA_ROOT (the factories' records store no files)."""
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def post_source_form(client, document):
    return client.post("/sources/new/", {**source_form(), "document": document})


def post_new_source_of_a_deployment(client, document):
    agency, product = AgencyFactory(), ProductFactory()
    data = deployment_form(agency, product, new_source_url="", new_source_title="Release")
    return client.post("/deployments/new/", {**data, "new_source_document": document})


def post_admin_source(client, document):
    page = "/admin/sources/source/add/"
    data = admin_data(client, page, title="County release", kind="other", visibility="pending")
    return client.post(page, {**data, "document": document})


ROUTES = {
    "source-form": ("volunteer", post_source_form),
    "new-source-of-a-record": ("volunteer", post_new_source_of_a_deployment),
    "admin": ("admin", post_admin_source),
}


@pytest.fixture(params=list(ROUTES))
def route(request, client, volunteer, admin_user):
    role, post = ROUTES[request.param]
    if role == "admin":
        sign_in(client, admin_user)
    else:
        client.force_login(volunteer)
    return functools.partial(post, client)


def form_errors(response):
    context = response.context
    form = context["adminform"].form if "adminform" in context else context["form"]
    return [message for messages in form.errors.values() for message in messages]


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_an_attack_file_is_refused_with_its_reason_and_nothing_is_stored(attack, route, settings):
    name, build, reason = ATTACKS[attack]
    response = route(upload(name, build()))
    assert response.status_code in (200, 400)  # the form again, never a 500
    assert any(reason in message for message in form_errors(response)), form_errors(response)
    assert escape(reason) in response.content.decode()
    assert not Source.objects.exclude(document="").exists()
    assert not ChangeRequest.objects.exists()
    assert stored_files(settings) == []


def test_a_plain_pdf_still_goes_in_by_every_route(route, settings):
    content = clean_pdf()
    response = route(upload("county-contract.pdf", content))
    assert response.status_code == 302
    source = Source.objects.exclude(document="").get()
    assert source.document.name.endswith(".pdf")
    with source.document.open("rb") as stored:
        assert stored.read() == content
    assert len(stored_files(settings)) == 1


def test_a_pdf_locked_only_against_changes_opens_without_a_password_and_goes_in(
    volunteer_client,
):
    # Common in records releases: encrypted, but with an empty password to open it.
    response = post_source_form(volunteer_client, upload("release.pdf", encrypted_pdf("")))
    assert response.status_code == 302
    assert Source.objects.exclude(document="").exists()


def test_a_checker_that_takes_too_long_refuses_the_file(volunteer_client, settings, monkeypatch):
    hang = ["python3", "-c", "import time; time.sleep(60)"]
    monkeypatch.setattr(uploads, "CHECK_COMMAND", hang)
    settings.SOURCE_DOCUMENT_CHECK_TIMEOUT = 1
    response = post_source_form(volunteer_client, upload("release.pdf", clean_pdf()))
    assert response.status_code == 400
    assert "more work than can be checked in 1 seconds" in " ".join(form_errors(response))
    assert not Source.objects.exists() and stored_files(settings) == []


def test_a_stored_document_is_not_checked_again_when_its_source_is_edited(reviewer_client):
    # Uploaded before these checks: the edit of its title keeps it as it is.
    scripted = pdf_with(catalog=b"/OpenAction << /S /JavaScript /JS (x) >>")
    source = SourceFactory(document=upload("old.pdf", scripted))
    name = source.document.name
    url = f"/sources/{source.pk}/edit/"
    data = edit_data(reviewer_client, url, title="Renamed", edit_summary="Title")
    assert reviewer_client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.title == "Renamed" and source.document.name == name


def test_a_document_downloads_as_an_attachment_no_browser_runs(reviewer_client):
    title = 'Sheriff\'s "memo"\r\n<script>alert(1)</script> ../../etc/passwd'
    response = reviewer_client.post(
        "/sources/new/",
        {**source_form(title=title), "document": upload("memo.pdf", clean_pdf())},
    )
    assert response.status_code == 302
    source = Source.objects.get()
    response = Client().get(f"/sources/{source.pk}/document.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="sheriffs-memo-scriptalert1script-etcpasswd.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
