"""Figures kept between changes (apps/core/figures.py): the counts and charts of the home
page and of technology and vendor pages are computed once per change of the published data,
also for signed-in visitors (whom the page cache never serves), and renewed when a change
commits. Writes whose commit should renew them run inside `committed()`, as in
test_page_cache.py."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import page_cache
from apps.core.models import Visibility
from tests.factories import DeploymentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    caches[page_cache.CACHE_ALIAS].clear()
    yield
    caches[page_cache.CACHE_ALIAS].clear()


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory())
    return client


def load(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def home_count(response, label):
    match = re.search(rf"<strong>([\d,]+)</strong>\s*{label}", response.content.decode())
    assert match, f"no count of {label} on the page"
    return int(match.group(1).replace(",", ""))


def test_the_home_page_figures_are_computed_once_per_change(signed_in, committed):
    with committed():
        DeploymentFactory.create_batch(2)
    first, first_queries = load(signed_in, "/")
    second, second_queries = load(signed_in, "/")
    # The counts of every kind, the technologies' counts and the five charts are kept.
    assert second_queries <= first_queries - 10
    assert home_count(second, "Deployments") == home_count(first, "Deployments") == 2
    assert second.context["charts"][0].rows == first.context["charts"][0].rows

    with committed():
        DeploymentFactory()
    renewed, renewed_queries = load(signed_in, "/")
    assert renewed_queries == first_queries
    assert home_count(renewed, "Deployments") == 3


def test_a_withdrawal_renews_a_technology_page_s_counts(signed_in, committed):
    with committed():
        kept, withdrawn = DeploymentFactory.create_batch(2)
    url = kept.technology.get_absolute_url()
    assert load(signed_in, url)[0].context["deployment_count"] == 2
    with committed():
        withdrawn.visibility = Visibility.WITHDRAWN
        withdrawn.save()
    response, _queries = load(signed_in, url)
    assert response.context["deployment_count"] == 1
    assert [row["count"] for row in response.context["by_status"]] == [1]


def test_a_vendor_s_counts_are_kept_until_its_records_change(signed_in, committed):
    with committed():
        deployment = DeploymentFactory()
    url = deployment.vendor.get_absolute_url()
    first, first_queries = load(signed_in, url)
    second, second_queries = load(signed_in, url)
    assert second_queries < first_queries
    assert second.context["counts"] == first.context["counts"]
    assert [agency.pk for agency in second.context["customers"]] == [deployment.agency_id]
    with committed():
        DeploymentFactory(product=deployment.product)
    assert load(signed_in, url)[0].context["counts"]["deployments"] == 2


def test_without_the_page_cache_the_figures_are_read_each_time(settings, signed_in, committed):
    settings.PAGE_CACHE = False
    DeploymentFactory()
    _first, first_queries = load(signed_in, "/")
    DeploymentFactory()
    second, second_queries = load(signed_in, "/")
    assert second_queries == first_queries
    assert home_count(second, "Deployments") == 2
