"""On a source, "published" means public (its visibility) and nothing else: the date it
came out is its `publication`. The export's `published` column stays as it was."""

import csv
import io

import pytest

from apps.core.partial_dates import PartialDate
from apps.sources.models import Source
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_the_publication_date_is_not_called_published():
    source = SourceFactory(title="Dated", publication_date=None, publication_date_precision="")
    assert not hasattr(Source, "published")
    source.publication = PartialDate.parse("2018-05")
    source.save()
    source.refresh_from_db()
    assert source.publication.display == "May 2018"
    assert source.is_published


def test_pages_and_the_export_keep_showing_the_date(client):
    source = SourceFactory(title="Dated", publication_date="2016-01-01")
    source.publication = PartialDate.parse("2016")
    source.save()
    assert "2016" in client.get(source.get_absolute_url()).content.decode()
    export = client.get("/sources/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0]["published"] == "2016"
