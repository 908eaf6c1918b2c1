"""Documents in storage that is not a folder on this machine (README, "Past one machine").

No network: Django's in-memory storage stands for a bucket where bytes are read and written
(code that opened a path() on disk would find no file there), and django-storages' S3
storage only signs addresses here, which it does without asking the server."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from apps.core.models import Visibility
from apps.sources.models import TextStatus
from tests.factories import SourceFactory
from tests.sources.pdfs import pdf_bytes, upload

pytestmark = pytest.mark.django_db

ORIGINAL = pdf_bytes("Contract signed with the vendor")


@pytest.fixture
def storage_without_files(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def test_a_document_is_served_and_read_without_a_file_on_disk(storage_without_files, settings):
    source = SourceFactory(title="Signed contract", document=upload(ORIGINAL))
    response = Client().get(f"/sources/{source.pk}/document.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == ORIGINAL
    call_command("extract_documents")
    source.refresh_from_db()
    assert source.document_text_status == TextStatus.EXTRACTED
    assert "Contract signed with the vendor" in source.document_text
    assert not Path(settings.MEDIA_ROOT).exists()


def use_bucket(settings):
    """The S3 storage as the settings configure it with AWS_STORAGE_BUCKET_NAME, with
    made-up credentials so that boto3 looks for none on the machine. Called after a source
    is saved: saving to the bucket would need the network."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "tracker-documents",
                "endpoint_url": "https://s3.test",
                "region_name": "us-east-1",
                "access_key": "AKIAEXAMPLE",
                "secret_key": "not-a-real-secret",
                "default_acl": "private",
                "querystring_auth": True,
                "signature_version": "s3v4",
                "file_overwrite": False,
            },
        },
    }
    settings.DOCUMENT_SERVE_MODE = "redirect"
    settings.DOCUMENT_URL_EXPIRE_SECONDS = 120


def test_redirect_mode_sends_the_reader_to_a_short_lived_signed_address(settings):
    source = SourceFactory(title="Signed contract", document=upload(ORIGINAL))
    use_bucket(settings)
    response = Client().get(f"/sources/{source.pk}/document.pdf")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    address = urlsplit(response["Location"])
    assert (address.scheme, address.netloc) == ("https", "s3.test")
    assert address.path == f"/tracker-documents/{source.document.name}"
    query = parse_qs(address.query)
    assert query["X-Amz-Expires"] == ["120"]
    assert query["X-Amz-Signature"]
    assert query["response-content-type"] == ["application/pdf"]
    assert query["response-content-disposition"] == [
        "attachment; filename*=utf-8''signed-contract.pdf"
    ]


def test_redirect_mode_checks_who_may_read_first(settings, reviewer_client):
    source = SourceFactory(document=upload(ORIGINAL), visibility=Visibility.WITHDRAWN)
    use_bucket(settings)
    assert Client().get(f"/sources/{source.pk}/document.pdf").status_code == 404
    assert reviewer_client.get(f"/sources/{source.pk}/document.pdf").status_code == 302
