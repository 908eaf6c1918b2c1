"""A record's sources reach pages and exports only as its published sources: a pending or
withdrawn source it cites never shows, on any page, prefetched or not."""

import pytest

from apps.core.models import Visibility
from apps.deployments.models import Deployment
from apps.sources.models import published_citations
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    ProductFactory,
    SourceFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


def hidden_sources():
    return [
        SourceFactory(
            title="Zz Pending source",
            url="https://leak.example.org/pending",
            visibility=Visibility.PENDING,
        ),
        SourceFactory(
            title="Zz Withdrawn source",
            url="https://leak.example.org/withdrawn",
            visibility=Visibility.WITHDRAWN,
        ),
    ]


def cite_hidden(record):
    record.sources.add(*hidden_sources())
    return record


def assert_no_hidden_source(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zz " not in page
    assert "leak.example.org" not in page


@pytest.mark.parametrize(
    "factory", [DeploymentFactory, AgencyFactory, VendorFactory, ProductFactory]
)
def test_detail_pages_show_no_pending_or_withdrawn_source(client, factory):
    record = cite_hidden(factory())
    assert_no_hidden_source(client, record.get_absolute_url())


@pytest.mark.parametrize("factory", [ContractFactory, NdaFactory])
def test_contract_and_nda_pages_and_lists_show_no_hidden_source(client, factory):
    record = cite_hidden(factory())
    assert_no_hidden_source(client, record.get_absolute_url())
    list_url = "/contracts/" if factory is ContractFactory else "/ndas/"
    assert_no_hidden_source(client, list_url)


def test_profiles_and_lists_show_no_hidden_source_of_their_records(client):
    deployment = cite_hidden(DeploymentFactory())
    assert_no_hidden_source(client, "/deployments/")
    assert_no_hidden_source(client, deployment.agency.get_absolute_url())
    assert_no_hidden_source(client, deployment.vendor.get_absolute_url())


def test_public_sources_without_a_published_prefetch(django_assert_num_queries):
    deployment = DeploymentFactory()
    cite_hidden(deployment)
    visible = list(deployment.sources.published())
    # A plain prefetch of every citation (a page that forgot published_citations()).
    loaded = Deployment.objects.prefetch_related("citations__source").get(pk=deployment.pk)
    with django_assert_num_queries(0):
        assert loaded.public_sources == visible
    fresh = Deployment.objects.get(pk=deployment.pk)
    with django_assert_num_queries(1):
        assert fresh.public_sources == visible
    published_only = Deployment.objects.prefetch_related(published_citations(Deployment)).get(
        pk=deployment.pk
    )
    with django_assert_num_queries(0):
        assert published_only.public_sources == visible
        assert [citation.source for citation in published_only.public_citations] == visible
