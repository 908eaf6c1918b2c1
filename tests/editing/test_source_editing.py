import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.core.models import Visibility
from apps.records.models import ChangeRequest
from apps.records.services import version_number
from apps.sources.models import Source
from tests.editing.test_record_forms_editing import (
    approve,
    diff_rows,
    edit_data,
    errors_of,
    history_names,
    logged_in,
    pending_update,
)
from tests.factories import SourceFactory
from tests.sources.pdfs import pdf_bytes

pytestmark = pytest.mark.django_db

# A PDF the upload checks read (apps/sources/uploads.py).
PDF = pdf_bytes("Records release")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="release.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def source_form(**overrides):
    data = {
        "title": "Sheriff's office face recognition records",
        "url": "records.example.org/requests/1234",
        "publisher": "MuckRock Example",
        "published": "2018-05",
        "kind": "records-release",
        "archive_url": "",
        "notes": "Page 4: the NDA.",
        "edit_summary": "Records release",
        "base_version": "",
    }
    data.update(overrides)
    return data


def test_the_source_form_asks_for_no_sources(volunteer_client):
    page = volunteer_client.get("/sources/new/").content.decode()
    assert "<h1>Add a source</h1>" in page
    assert "Sources already in the registry" not in page and "Add a new source" not in page
    assert 'type="file" name="document"' in page and 'accept="application/pdf"' in page


def test_volunteer_adds_a_source_that_a_reviewer_publishes(volunteer_client, reviewer):
    response = volunteer_client.post("/sources/new/", {**source_form(), "document": pdf()})
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    source = change.record
    assert source.visibility == Visibility.PENDING
    assert source.url == "https://records.example.org/requests/1234"
    assert str(source.publication) == "May 2018"
    assert source.document.name.startswith("sources/") and source.document.name.endswith(".pdf")
    assert Client().get(source.get_absolute_url()).status_code == 404
    listed = Client().get("/sources/").context["object_list"]
    assert source.pk not in {s.pk for s in listed}

    approve(reviewer, change)  # publishing a source needs no source of its own
    source.refresh_from_db()
    assert source.visibility == Visibility.PUBLISHED
    page = Client().get(source.get_absolute_url()).content.decode()
    assert "Download the document (PDF)" in page
    assert f'href="/sources/{source.pk}/history/"' in page
    history = history_names(f"/sources/{source.pk}/history/")
    assert "Vera Volunteer" in history and "Rita Reviewer" in history
    assert source.history.latest().approved_by == reviewer


def test_a_source_needs_an_address_or_a_document(volunteer_client, reviewer_client):
    response = volunteer_client.post("/sources/new/", source_form(url=""))
    assert errors_of(response)["url"] == ["Give the source's URL or upload the document."]
    assert "Give the source&#x27;s URL or upload the document." in response.content.decode()
    not_an_address = volunteer_client.post("/sources/new/", source_form(url="not an address"))
    assert errors_of(not_an_address)["url"] == ["Enter a valid URL."]
    only_a_document = {**source_form(url=""), "document": pdf()}
    assert volunteer_client.post("/sources/new/", only_a_document).status_code == 302
    assert Source.objects.get().url == ""


def test_an_address_is_in_the_registry_once(volunteer_client):
    existing = SourceFactory(url="https://records.example.org/requests/1234")
    errors = errors_of(volunteer_client.post("/sources/new/", source_form()))
    assert errors["url"] == [
        f"This address is already in the registry as source #{existing.pk} "
        f"(“{existing.title}”): cite that one, or edit it."
    ]


def test_only_pdf_documents_are_taken(volunteer_client):
    upload = pdf("notes.txt", b"plain text")
    errors = errors_of(
        volunteer_client.post("/sources/new/", {**source_form(), "document": upload})
    )
    assert "File extension “txt” is not allowed" in errors["document"][0]
    assert not Source.objects.exists()


def test_volunteer_edit_of_a_source_waits_and_approval_applies_it(volunteer_client, reviewer):
    source = SourceFactory(publisher="Example Gazette", archive_url="")
    url = f"/sources/{source.pk}/edit/"
    data = edit_data(
        volunteer_client,
        url,
        publisher="The Example Gazette",
        archive_url="https://web.archive.org/web/2019/https://news.example.org/x",
        edit_summary="Full name and an archived copy",
    )
    assert volunteer_client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.publisher == "Example Gazette"
    change = pending_update()
    assert diff_rows(reviewer, change) == {
        "Publisher": ("Example Gazette", "The Example Gazette"),
        "Archived copy url": ("", "https://web.archive.org/web/2019/https://news.example.org/x"),
    }
    approve(reviewer, change)
    source.refresh_from_db()
    assert source.publisher == "The Example Gazette"
    assert source.archive_url.startswith("https://web.archive.org/")


def test_a_new_document_for_a_published_source_is_not_lost_in_review(volunteer_client, reviewer):
    source = SourceFactory()
    url = f"/sources/{source.pk}/edit/"
    data = edit_data(volunteer_client, url, edit_summary="Attach the PDF")
    response = volunteer_client.post(url, {**data, "document": pdf()})
    assert response.status_code == 400
    assert "A new file for a published record cannot wait for review" in " ".join(
        response.context["form"].non_field_errors()
    )
    assert not ChangeRequest.objects.exists()
    # A reviewer's edit is applied at once, document included.
    client = logged_in(reviewer)
    data = edit_data(client, url, edit_summary="Attach the PDF")
    assert client.post(url, {**data, "document": pdf()}).status_code == 302
    source.refresh_from_db()
    assert source.document.name.endswith(".pdf")


def test_a_source_is_withdrawn_restored_and_reverted_without_citing_one(reviewer_client):
    source = SourceFactory(title="Original title")
    first = source.history.latest()
    url = f"/sources/{source.pk}/edit/"
    data = edit_data(reviewer_client, url, title="Vandalised", edit_summary="oops")
    assert reviewer_client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.title == "Vandalised"
    reviewer_client.post(f"/sources/{source.pk}/withdraw/", {"reason": "Checking"})
    source.refresh_from_db()
    assert source.visibility == Visibility.WITHDRAWN
    reviewer_client.post(f"/sources/{source.pk}/restore/", {"reason": "Fine after all"})
    source.refresh_from_db()
    assert source.visibility == Visibility.PUBLISHED
    reviewer_client.post(
        f"/sources/{source.pk}/revert/",
        {"version": version_number(source, first.history_id), "reason": "Undo"},
    )
    source.refresh_from_db()
    assert source.title == "Original title" and source.is_published
