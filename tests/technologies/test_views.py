import pytest

from tests.factories import AgencyFactory, DeploymentFactory

pytestmark = pytest.mark.django_db


def test_technology_list_shows_every_technology_with_counts(client, django_assert_num_queries):
    DeploymentFactory.create_batch(2)
    with django_assert_num_queries(1):
        response = client.get("/technologies/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Cell-site Simulator" in content and "Aerial Surveillance" in content
    face = next(t for t in response.context["technologies"] if t.slug == "face-recognition")
    assert face.deployment_count == 2 and face.agency_count == 2


def test_technology_page_shows_where_and_by_whom(client, django_assert_num_queries):
    first = DeploymentFactory(agency=AgencyFactory(region="OR"))
    DeploymentFactory(agency=AgencyFactory(region="OR"), product=first.product, status="pilot")
    DeploymentFactory(agency=AgencyFactory(region="FL"))
    with django_assert_num_queries(6):
        response = client.get("/technologies/face-recognition/")
    context = response.context
    assert context["deployment_count"] == 3
    assert context["by_region"][0]["region_name"] == "Oregon"
    assert context["by_region"][0]["count"] == 2
    assert context["by_vendor"][0] == {
        "vendor__name": first.vendor.name,
        "vendor__slug": first.vendor.slug,
        "count": 2,
    }
    assert {row["label"] for row in context["by_status"]} == {"Active", "Pilot / trial"}
    assert "All 3 Face Recognition deployments" in response.content.decode()


def test_unknown_technology_is_404(client):
    assert client.get("/technologies/mind-reading/").status_code == 404
