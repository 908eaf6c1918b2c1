import pytest

from apps.core.models import Visibility
from apps.records.registry import publishable_kinds
from tests.factories import DeploymentFactory, sign_in

pytestmark = pytest.mark.django_db


def test_home_shows_counts_recent_additions_and_entry_points(client, django_assert_num_queries):
    shown = DeploymentFactory.create_batch(3)
    DeploymentFactory(visibility=Visibility.PENDING)
    # one count per publishable kind, technologies with counts, recent deployments and
    # their sources, the regions suggested in the state box; the charts: one grouped query
    # each, and the vendors' parents for the vendor chart
    with django_assert_num_queries(len(publishable_kinds()) + 10):
        response = client.get("/")
    content = response.content.decode()
    assert response.status_code == 200
    counts = {label: count for label, _url, count in response.context["counts"]}
    assert counts["Deployments"] == 3
    # Every publishable kind with a public list, in the registry's order, linked to its list.
    assert [(label, url) for label, url, _count in response.context["counts"]] == [
        ("Deployments", "deployments:list"),
        ("Agencies", "agencies:list"),
        ("Vendors", "vendors:list"),
        ("Products", "products:list"),
        ("Contracts", "contracts:list"),
        ("NDAs", "ndas:list"),
        ("Records requests", "records-requests:list"),
        ("Response deadlines", "response-deadlines:list"),
        ("Oversight events", "oversight:list"),
        ("Sources", "sources:list"),
    ]
    assert '<a href="/ndas/"><strong>0</strong> NDAs</a>' in content
    assert list(response.context["recent_deployments"]) == list(reversed(shown))
    assert 'action="/deployments/"' in content
    assert content.count("<h1") == 1


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/agencies/",
        "/vendors/",
        "/products/",
        "/technologies/",
        "/deployments/",
        "/contracts/",
        "/ndas/",
        "/sources/",
        "/records-requests/",
        "/oversight/",
    ],
)
def test_every_page_has_landmarks_one_heading_and_a_title(client, url):
    DeploymentFactory()
    content = client.get(url).content.decode()
    assert '<main id="main"' in content and "<nav" in content and "<header" in content
    assert content.count("<h1") == 1
    assert '<a class="skip-link" href="#main">' in content
    assert "<title>" in content and "· Surveillance Tracker</title>" in content
    # No asset is loaded from another host.
    assert 'src="http' not in content and 'stylesheet" href="http' not in content


def test_missing_page_is_a_helpful_404(client):
    response = client.get("/agencies/no-such-agency/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Not found</h1>" in content
    assert 'href="/deployments/"' in content


def test_admin_keeps_history_and_never_deletes_registry_records(client):
    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, admin)
    deployment = DeploymentFactory()
    response = client.get(f"/admin/deployments/deployment/{deployment.pk}/history/")
    assert response.status_code == 200
    delete = client.get(f"/admin/deployments/deployment/{deployment.pk}/delete/")
    assert delete.status_code in {302, 403}
    assert type(deployment).objects.filter(pk=deployment.pk).exists()


def test_home_state_box_takes_a_name_and_finds_it(client):
    """Typing "Oregon" in the state box once became "Ore" (maxlength=3) and found nothing."""
    oregon = DeploymentFactory(agency__region="OR", agency__country="US")
    DeploymentFactory(agency__region="WA", agency__country="US")
    content = client.get("/").content.decode()
    assert 'maxlength="3"' not in content
    assert '<option value="US-OR">Oregon, United States</option>' in content
    for typed in ("Oregon", "oregon", "OR", "US-OR"):
        response = client.get("/deployments/", {"region": typed})
        assert response.status_code == 200, typed
        assert [d.pk for d in response.context["object_list"]] == [oregon.pk], typed
