"""RecordBatch as the demo loader uses it: partial dates through the model's accessor, and a
batch by no one (user None) that publishes without logging a change."""

import pytest

from apps.core.partial_dates import PartialDate
from apps.records.models import ChangeRequest
from apps.records.services import RecordBatch
from apps.sources.models import Source

pytestmark = pytest.mark.django_db


def test_a_partial_date_is_set_through_the_models_accessor():
    batch = RecordBatch(user=None, summary="Loaded", publishes=True)
    month = PartialDate.parse("2019-03")
    source = batch.create(Source, url="https://news.example.org/a", title="A", publication=month)
    source.refresh_from_db()
    assert (source.publication_date.isoformat(), source.publication_date_precision) == (
        "2019-03-01",
        "month",
    )


def test_a_batch_by_no_one_publishes_authorless_versions_and_logs_no_change():
    batch = RecordBatch(user=None, summary="Loaded", publishes=True)
    source = batch.create(Source, url="https://news.example.org/b", title="B")
    batch.finish()
    version = source.history.get()
    assert (source.visibility, version.history_user, version.history_change_reason) == (
        "published",
        None,
        "Loaded",
    )
    assert not ChangeRequest.objects.exists()


def test_a_batch_waiting_for_review_needs_its_author():
    with pytest.raises(ValueError, match="needs the user"):
        RecordBatch(user=None, summary="Loaded", publishes=False)
