"""Exports stream: memory that does not grow with the rows (checked on a generated set), and a
number of queries that depends on the chunks read, not on the rows. Apart from the demo data
(tests/core/test_export_sql.py): generate_data fills an empty database."""

import gc
import io
import tracemalloc

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.deployments.exports import DeploymentExport
from apps.deployments.models import Deployment
from tests.factories import ContractFactory, DeploymentFactory, NdaFactory, SourceFactory


def held_while_streaming(client, url):
    """(bytes sent so far, memory Python holds) at points of the export at `url`, read and
    dropped piece by piece as a server sends it. What is held is what is still reachable
    (tracemalloc after a collection): garbage waiting for the collector is not."""
    b"".join(client.get(url).streaming_content)  # the one-off costs: compiled SQL, URLs
    tracemalloc.start()
    try:
        points, sent = [], 0
        for index, piece in enumerate(client.get(url).streaming_content):
            sent += len(piece)
            if index % 3 == 0:
                gc.collect()
                points.append((sent, tracemalloc.get_traced_memory()[0]))
    finally:
        tracemalloc.stop()
    return points


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_streams_in_memory_that_does_not_grow_with_its_rows(client, fmt, monkeypatch):
    monkeypatch.setattr(DeploymentExport, "chunk_size", 10)
    call_command("generate_data", deployments=300, seed=5, stdout=io.StringIO())
    points = held_while_streaming(client, f"/deployments/export.{fmt}")
    total = points[-1][0]
    (half_sent, half_held), *later = [point for point in points if point[0] >= total / 2]
    assert len(later) >= 3
    for sent, held in later:
        # The rows sent in the second half are not held: a fraction of their size at most,
        # and the chunk being read, which varies (held rows would weigh several times the
        # text they are sent as: model instances and their prefetches).
        assert held - half_held < (sent - half_sent) / 4 + 50_000


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_number_of_queries_depends_on_chunks_not_rows(client, fmt, monkeypatch):
    monkeypatch.setattr(DeploymentExport, "chunk_size", 10)

    def queries(rows):
        while Deployment.objects.count() < rows:
            record = DeploymentFactory()
            record.sources.add(SourceFactory())
            ContractFactory(agency=record.agency).deployments.add(record)
            NdaFactory(agency=record.agency, counterparty_vendor=record.vendor)
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(f"/deployments/export.{fmt}").streaming_content)
        return len(captured)

    assert queries(3) == queries(10)
    assert queries(11) == queries(20)
