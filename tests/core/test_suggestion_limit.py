"""Filter suggestions stay small: a registry with more records than the page can carry
offers none for that kind, and typing a name still filters."""

import pytest

from apps.core import filters
from tests.factories import AgencyFactory, DeploymentFactory

pytestmark = pytest.mark.django_db


def test_agency_suggestions_stop_past_the_limit_but_a_typed_name_still_filters(client, monkeypatch):
    deployment = DeploymentFactory(agency=AgencyFactory(name="Springfield Police Department"))
    AgencyFactory.create_batch(3)
    monkeypatch.setattr(filters, "RECORD_SUGGESTION_LIMIT", 10)
    assert (
        'value="springfield-police-department-or"' in client.get("/deployments/").content.decode()
    )
    monkeypatch.setattr(filters, "RECORD_SUGGESTION_LIMIT", 3)
    assert (
        'value="springfield-police-department-or"'
        not in client.get("/deployments/").content.decode()
    )
    response = client.get("/deployments/", {"agency": "Springfield Police Department"})
    assert [d.pk for d in response.context["object_list"]] == [deployment.pk]


def test_a_suggested_name_is_text_not_markup(client):
    """Suggestions are written outside the template (filters.datalist_options): a name
    with markup in it still arrives escaped, in the value and in the label."""
    DeploymentFactory(agency=AgencyFactory(name='<img src=x onerror=alert(1)> "Q" & Co'))
    page = client.get("/deployments/").content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; &quot;Q&quot; &amp; Co" in page
    assert '<option value="US-OR">Oregon, United States</option>' in page
