"""Documents go out through a view that checks the source's visibility, never /media/."""

import json

import pytest
from django.test import Client

from apps.core.models import Visibility
from apps.records.models import ChangeRequest
from tests.conftest import member_of
from tests.editing.test_record_forms_editing import edit_data, logged_in
from tests.editing.test_source_editing import source_form
from tests.factories import SourceFactory
from tests.sources.pdfs import pdf_bytes, upload

pytestmark = pytest.mark.django_db

ORIGINAL = pdf_bytes("Unredacted")
REDACTED = pdf_bytes("Redacted")


def body(response):
    return b"".join(response.streaming_content)


def pending_source_of(volunteer_client):
    response = volunteer_client.post(
        "/sources/new/", {**source_form(), "document": upload(ORIGINAL)}
    )
    assert response.status_code == 302
    return ChangeRequest.objects.get().record


def test_a_published_document_is_served_as_a_pdf_download_to_anyone():
    source = SourceFactory(title="County records: NDA with Amazon", document=upload(ORIGINAL))
    page = Client().get(source.get_absolute_url()).content.decode()
    assert f'href="/sources/{source.pk}/document.pdf"' in page
    assert "/media/" not in page
    response = Client().get(f"/sources/{source.pk}/document.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = 'attachment; filename="county-records-nda-with-amazon.pdf"'
    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert body(response) == ORIGINAL


def test_a_pending_document_is_served_only_to_its_author_and_reviewers(volunteer_client, reviewer):
    source = pending_source_of(volunteer_client)
    url = f"/sources/{source.pk}/document.pdf"
    assert Client().get(url).status_code == 404
    other_volunteer = logged_in(member_of("Volunteers", username="otto"))
    assert other_volunteer.get(url).status_code == 404
    response = volunteer_client.get(url)
    assert response.status_code == 200 and body(response) == ORIGINAL
    assert "no-store" in response["Cache-Control"]
    assert logged_in(reviewer).get(url).status_code == 200


def test_a_withdrawn_document_is_served_only_to_reviewers(volunteer, reviewer_client):
    source = SourceFactory(document=upload(ORIGINAL))
    url = f"/sources/{source.pk}/document.pdf"
    reviewer_client.post(f"/sources/{source.pk}/withdraw/", {"reason": "Names a witness"})
    source.refresh_from_db()
    assert source.visibility == Visibility.WITHDRAWN
    assert Client().get(url).status_code == 404
    assert logged_in(volunteer).get(url).status_code == 404
    assert reviewer_client.get(url).status_code == 200


def test_a_replaced_document_is_no_longer_served(reviewer_client):
    source = SourceFactory(document=upload(ORIGINAL))
    old_name = source.document.name
    url = f"/sources/{source.pk}/edit/"
    data = edit_data(reviewer_client, url, edit_summary="Redacted copy")
    assert reviewer_client.post(url, {**data, "document": upload(REDACTED)}).status_code == 302
    source.refresh_from_db()
    assert source.document.name != old_name
    assert body(Client().get(f"/sources/{source.pk}/document.pdf")) == REDACTED
    # The old file is still on disk (a revert may bring it back), but has no address.
    assert Client().get(f"/media/{old_name}").status_code == 404
    form_page = reviewer_client.get(url).content.decode()
    assert f'href="/sources/{source.pk}/document.pdf"' in form_page
    assert old_name not in form_page and source.document.name not in form_page


def test_a_source_without_a_document_or_with_a_lost_file_is_a_404():
    without = SourceFactory()
    assert Client().get(f"/sources/{without.pk}/document.pdf").status_code == 404
    lost = SourceFactory(document=upload(ORIGINAL))
    lost.document.storage.delete(lost.document.name)
    assert Client().get(f"/sources/{lost.pk}/document.pdf").status_code == 404


def test_the_reverse_proxy_sends_the_file_when_configured(settings):
    source = SourceFactory(title="Contract", document=upload(ORIGINAL))
    settings.DOCUMENT_SERVE_MODE = "x-accel-redirect"
    settings.DOCUMENT_INTERNAL_PREFIX = "/protected-media/"
    response = Client().get(f"/sources/{source.pk}/document.pdf")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{source.document.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''contract.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"

    settings.DOCUMENT_SERVE_MODE = "x-sendfile"
    response = Client().get(f"/sources/{source.pk}/document.pdf")
    assert response["X-Sendfile"] == source.document.path
    assert "X-Accel-Redirect" not in response

    source.visibility = Visibility.WITHDRAWN
    source.save()
    assert Client().get(f"/sources/{source.pk}/document.pdf").status_code == 404


def test_the_export_links_the_document_through_the_view():
    source = SourceFactory(document=upload(ORIGINAL))
    rows = json.loads(body(Client().get("/sources/export.json")))["results"]
    assert [row["document"] for row in rows] == [
        f"http://testserver/sources/{source.pk}/document.pdf"
    ]
