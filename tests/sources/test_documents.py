"""Reading an uploaded document's text: never in the request, always within bounds."""

import sys

import pytest
from django.core.management import call_command
from django.test import Client

from apps.records.models import ChangeRequest
from apps.sources import documents, services
from apps.sources.models import Source, TextStatus
from tests.editing.test_deployment_editing import deployment_form
from tests.editing.test_record_forms_editing import edit_data
from tests.editing.test_source_editing import source_form
from tests.factories import AgencyFactory, ProductFactory, SourceFactory
from tests.sources.pdfs import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def replace_document(client, source, text, summary="New copy"):
    old_name = source.document.name
    url = f"/sources/{source.pk}/edit/"
    data = edit_data(client, url, edit_summary=summary)
    response = client.post(url, {**data, "document": upload(pdf_bytes(text))})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.document.name != old_name


def test_an_upload_waits_as_text_pending_and_reads_nothing_in_the_request(
    volunteer_client, monkeypatch
):
    def no_reading_here(*args, **kwargs):
        raise AssertionError("the request read the document")

    monkeypatch.setattr(documents, "extract_text", no_reading_here)
    monkeypatch.setattr(services, "extract_text", no_reading_here)
    agency, product = AgencyFactory(), ProductFactory()
    data = deployment_form(
        agency, product, new_source_url="", new_source_title="County records release"
    )
    data["new_source_document"] = upload(pdf_bytes("Non-disclosure agreement"))
    response = volunteer_client.post("/deployments/new/", data)
    assert response.status_code == 302
    source = ChangeRequest.objects.get().record.sources.get()
    assert source.document.name.endswith(".pdf")
    assert source.document_text_status == TextStatus.PENDING
    assert source.document_text == ""


def test_the_command_reads_a_pending_document_and_the_page_shows_it(reviewer_client):
    response = reviewer_client.post(
        "/sources/new/", {**source_form(), "document": upload(pdf_bytes("Agreement text"))}
    )
    assert response.status_code == 302
    source = Source.objects.get()
    page = Client().get(source.get_absolute_url()).content.decode()
    assert "Text pending" in page and "Agreement text" not in page

    call_command("extract_documents")
    source.refresh_from_db()
    assert source.document_text_status == TextStatus.EXTRACTED
    assert source.document_text == "Agreement text"
    page = Client().get(source.get_absolute_url()).content.decode()
    assert "Text pending" not in page and "Agreement text" in page
    versions = source.history.count()
    call_command("extract_documents")  # nothing left to do, and no version for the text
    assert source.history.count() == versions


def test_pages_sharing_one_huge_stream_are_read_once(settings):
    source = SourceFactory(document=upload(pdf_bytes("word", pages=200, repeat=50)))
    call_command("extract_documents")
    source.refresh_from_db()
    assert source.document_text_status == TextStatus.EXTRACTED
    assert source.document_text.count("word") == 50  # one page's worth, not 200


def test_a_stream_that_expands_hugely_is_cut_at_the_character_limit(settings):
    settings.DOCUMENT_TEXT_MAX_CHARS = 1000
    content = pdf_bytes("surveillance ", pages=3, repeat=5000, compress=True)
    assert len(content) < 5000  # a small file whose one page says 65,000 characters
    source = SourceFactory(document=upload(content))
    call_command("extract_documents")
    source.refresh_from_db()
    assert source.document_text_status == TextStatus.PARTIAL
    assert 900 < len(source.document_text) <= 1000
    page = Client().get(source.get_absolute_url()).content.decode()
    assert "Only the beginning of the document" in page


def test_a_document_that_takes_too_long_is_stopped_keeping_what_was_read(settings, monkeypatch):
    # A worker that writes one page's text and then hangs, as a crafted PDF can make it.
    hang = "import sys, time; sys.stdout.write('First page'); sys.stdout.flush(); time.sleep(600)"
    monkeypatch.setattr(documents, "WORKER_COMMAND", [sys.executable, "-c", hang])
    settings.DOCUMENT_TEXT_TIMEOUT = 3
    hanging, later = SourceFactory(document=upload(pdf_bytes("x"))), SourceFactory()
    call_command("extract_documents")
    hanging.refresh_from_db()
    assert hanging.document_text_status == TextStatus.PARTIAL
    assert hanging.document_text == "First page"
    assert later.document_text_status == TextStatus.NONE  # the command went on


def test_an_unreadable_document_is_marked_so_and_read_again_only_on_request(client, monkeypatch):
    source = SourceFactory(document=upload(b"%PDF-1.4\nnothing a parser can use\n"))
    call_command("extract_documents")
    source.refresh_from_db()
    assert source.document_text_status == TextStatus.FAILED
    assert "No text could be read" in client.get(source.get_absolute_url()).content.decode()

    def read(data):
        return documents.ExtractedText(text="Read with a better parser", complete=True)

    monkeypatch.setattr(services, "extract_text", read)
    call_command("extract_documents")  # a failed file is not tried on every run
    source.refresh_from_db()
    assert source.document_text_status == TextStatus.FAILED
    call_command("extract_documents", source=[source.pk])  # asked for by number
    source.refresh_from_db()
    assert source.document_text == "Read with a better parser"


def test_replacing_a_document_drops_the_old_text_until_the_new_one_is_read(reviewer_client):
    source = SourceFactory(document=upload(pdf_bytes("Unredacted name")))
    call_command("extract_documents")
    source.refresh_from_db()
    assert source.document_text == "Unredacted name"
    replace_document(reviewer_client, source, "Redacted")
    source.refresh_from_db()
    assert source.document_text == "" and source.document_text_status == TextStatus.PENDING
    call_command("extract_documents")
    source.refresh_from_db()
    assert source.document_text == "Redacted"


def test_text_read_from_a_replaced_document_is_not_stored(monkeypatch):
    source = SourceFactory(document=upload(pdf_bytes("Old")))
    stale = Source.objects.get(pk=source.pk)
    source.document = upload(pdf_bytes("New"))
    source.save()
    assert services.read_document_text(stale) is None
    source.refresh_from_db()
    assert source.document_text == "" and source.document_text_status == TextStatus.PENDING


def test_a_file_that_is_not_a_pdf_is_refused(volunteer_client):
    agency, product = AgencyFactory(), ProductFactory()
    data = deployment_form(agency, product, new_source_url="", new_source_title="Fake")
    data["new_source_document"] = upload(b"MZ\x90\x00 a renamed program")
    response = volunteer_client.post("/deployments/new/", data)
    assert response.status_code == 400
    assert "The document is not a PDF file" in response.content.decode()
    assert not Source.objects.filter(title="Fake").exists()


def test_the_text_of_a_replaced_document_stays_out_of_the_public_history(reviewer_client):
    source = SourceFactory(document=upload(pdf_bytes("Unredacted witness name")))
    call_command("extract_documents")
    url = f"/sources/{source.pk}/edit/"
    data = edit_data(reviewer_client, url, title="Records release", edit_summary="Title")
    assert reviewer_client.post(url, data).status_code == 302
    replace_document(reviewer_client, source, "Redacted")
    assert source.history.count() == 3
    for old, new in ((1, 2), (2, 3)):
        page = Client().get(f"/sources/{source.pk}/history/?old={old}&new={new}")
        assert "Differences between" in page.content.decode()
        assert "Unredacted witness name" not in page.content.decode()


def test_a_revert_to_an_older_document_reads_its_text_again(reviewer_client):
    source = SourceFactory(document=upload(pdf_bytes("First release")))
    first = source.history.count()  # the version with the first document, by its number
    call_command("extract_documents")
    replace_document(reviewer_client, source, "Second")
    call_command("extract_documents")
    source.refresh_from_db()
    assert source.document_text == "Second"
    response = reviewer_client.post(
        f"/sources/{source.pk}/revert/",
        {"version": first, "reason": "Wrong file", "restore_document": "on"},
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.document_text_status == TextStatus.PENDING and source.document_text == ""
    call_command("extract_documents")
    source.refresh_from_db()
    assert source.document_text == "First release"
