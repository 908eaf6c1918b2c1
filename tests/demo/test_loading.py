"""The demo loader's tests that load the data themselves (into an empty or a prepared
database), apart from test_seed_demo.py, whose tests share one load."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from apps.agencies.models import Agency
from apps.demo import DemoDataError
from apps.demo.case import ACLU_BLOG_URL, ACLU_RECORDS_URL
from apps.demo.loader import load_demo_data
from apps.demo.plan import build_plan
from apps.deployments.models import Deployment
from apps.sources.models import Source, TextStatus
from apps.technologies.models import Technology
from tests.demo.counts import row_counts, version_counts
from tests.factories import AgencyFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_running_twice_changes_nothing():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first, first_versions = row_counts(), version_counts()
    assert re.search(r"History: \d{4} versions written", out.getvalue())
    # The demo's documents are read at once: searchable before extract_documents runs.
    documents = Source.objects.exclude(document="")
    assert documents.count() >= 3
    assert set(documents.values_list("document_text_status", flat=True)) == {TextStatus.EXTRACTED}
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert row_counts() == first
    assert version_counts() == first_versions
    output = out.getvalue()
    assert re.search(r"deployments\s+\d{4}\s+\(\+0\)", output)
    assert "0 rows created" in output
    assert "History: 0 versions written" in output


def test_the_motivating_case_joins_records_already_entered():
    existing = AgencyFactory(
        name="Washington County Sheriff's Office",
        region="OR",
        kind="sheriff",
        sources=[SourceFactory(url=ACLU_BLOG_URL)],
    )
    versions = existing.history.count()
    load_demo_data()
    assert Agency.objects.matching_name("Washington County Sheriff's Office", "OR").get() == (
        existing
    )
    # The volunteer's record gains the other source and the alias in one version; a second
    # load finds nothing missing and writes none.
    assert existing.history.count() == versions + 1
    assert set(existing.history.latest().relations["sources"]) == set(
        Source.objects.filter(url__in=[ACLU_BLOG_URL, ACLU_RECORDS_URL]).values_list(
            "pk", flat=True
        )
    )
    assert existing.history.latest().relations["aliases"] == ["WCSO"]
    load_demo_data()
    assert existing.history.count() == versions + 1
    assert Source.objects.filter(url=ACLU_BLOG_URL).count() == 1
    assert Deployment.objects.filter(agency=existing, vendor__name="Amazon Web Services").exists()


def test_the_plan_is_deterministic():
    names = dict(Technology.objects.values_list("slug", "name"))
    first, second = build_plan(names), build_plan(names)
    assert [a.slug for a in first.agencies] == [a.slug for a in second.agencies]
    assert [d.key for d in first.deployments] == [d.key for d in second.deployments]
    assert list(first.sources) == list(second.sources)


def test_a_missing_taxonomy_is_reported_not_crashed_on():
    Technology.objects.filter(slug="drones").delete()
    with pytest.raises(DemoDataError, match="drones"):
        load_demo_data()


def test_the_loader_never_publishes_a_link_to_a_hidden_record():
    names = dict(Technology.objects.values_list("slug", "name"))
    planned = build_plan(names).agencies[0]
    hidden = AgencyFactory(
        slug=planned.slug, name=planned.name, region=planned.region, visibility="pending"
    )
    versions = hidden.history.count()
    with pytest.raises(DemoDataError, match="not published"):
        load_demo_data()
    # Nothing of the load is left: not a deployment of the pending agency, not a version.
    assert not Deployment.objects.exists()
    assert hidden.history.count() == versions
    assert not Source.objects.filter(url=ACLU_BLOG_URL).exists()
