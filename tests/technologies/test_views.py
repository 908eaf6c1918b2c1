import datetime

import pytest

from apps.core.partial_dates import DatePrecision
from tests.factories import AgencyFactory, DeploymentFactory, ProductFactory, VendorFactory

pytestmark = pytest.mark.django_db


def test_technology_list_shows_every_technology_with_counts(client, django_assert_num_queries):
    DeploymentFactory.create_batch(2)
    # 2: the count of the list and its page, whatever the number of technologies.
    with django_assert_num_queries(2):
        response = client.get("/technologies/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Cell-site Simulator" in content and "Aerial Surveillance" in content
    face = next(t for t in response.context["object_list"] if t.slug == "face-recognition")
    assert face.deployment_count == 2 and face.agency_count == 2


def chart(response, key):
    return next(chart for chart in response.context["charts"] if chart.key == key)


def test_technology_page_shows_where_and_by_whom(client, django_assert_num_queries):
    first = DeploymentFactory(agency=AgencyFactory(region="OR"))
    DeploymentFactory(agency=AgencyFactory(region="OR"), product=first.product, status="pilot")
    DeploymentFactory(agency=AgencyFactory(region="FL"))
    # 10: the technology, by status, the technology filter of the charts' scope, the charts
    # by region, vendor (and the vendors' parents, read once) and start year, the latest
    # deployments and their sources, and the record's "Cite this" version number.
    with django_assert_num_queries(10):
        response = client.get("/technologies/face-recognition/")
    context = response.context
    assert context["deployment_count"] == 3
    by_region = chart(response, "by-region").rows
    assert (by_region[0].label, by_region[0].value) == ("Oregon", 2)
    assert by_region[0].url == "/deployments/?technology=face-recognition&country=US&region=OR"
    by_vendor = chart(response, "by-vendor").rows
    assert (by_vendor[0].label, by_vendor[0].value) == (first.vendor.name, 2)
    assert {row["label"] for row in context["by_status"]} == {"Active", "Pilot / trial"}
    assert [c.key for c in context["charts"]] == ["by-region", "by-vendor", "started-per-year"]
    assert "All 3 Face Recognition deployments" in response.content.decode()


def test_unknown_technology_is_404(client):
    assert client.get("/technologies/mind-reading/").status_code == 404


def test_a_parent_company_counts_its_subsidiaries_deployments_as_its_link_does(client):
    parent = VendorFactory(name="Holding Company")
    subsidiary = VendorFactory(name="Cloud Subsidiary", parent=parent)
    DeploymentFactory(product=ProductFactory(vendor=parent))
    DeploymentFactory.create_batch(2, product=ProductFactory(vendor=subsidiary))
    response = client.get("/technologies/face-recognition/")
    rows = {row.label: row.value for row in chart(response, "by-vendor").rows}
    assert rows == {"Holding Company": 3, "Cloud Subsidiary": 2}
    assert "includes its subsidiaries" in response.content.decode()
    listed = client.get("/deployments/", {"technology": "face-recognition", "vendor": parent.slug})
    assert listed.context["paginator"].count == 3


def test_an_unknown_region_is_not_a_link_to_the_whole_country(client):
    DeploymentFactory(agency=AgencyFactory(region=""))
    response = client.get("/technologies/face-recognition/")
    assert chart(response, "by-region").rows == []
    content = response.content.decode()
    assert "Agencies whose region is not recorded are left out." in content
    assert "region=&" not in content and 'region="' not in content


@pytest.mark.parametrize(
    ("status", "shown", "not_shown"),
    [
        ("discontinued", "Discontinued</span> since April 2024", "since December 2023"),
        ("suspended", "Suspended</span> since April 2024", "since December 2023"),
        ("banned", "Banned</span> since April 2024", "since December 2023"),
        ("active", "Active</span> since December 2023", "since April 2024"),
    ],
)
def test_status_since_is_the_date_the_status_means(client, status, shown, not_shown):
    """A deployment that ran December 2023 to April 2024 was discontinued in April 2024,
    wherever a page says since when."""
    deployment = DeploymentFactory(
        status=status,
        start_date=datetime.date(2023, 12, 1),
        start_date_precision=DatePrecision.MONTH,
        end_date=datetime.date(2024, 4, 1),
        end_date_precision=DatePrecision.MONTH,
    )
    pages = [
        "/technologies/face-recognition/",
        deployment.get_absolute_url(),
        deployment.agency.get_absolute_url(),
        deployment.vendor.get_absolute_url(),
        deployment.product.get_absolute_url(),
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert shown in content, url
        assert not_shown not in content, url


def test_an_ended_status_with_no_end_date_gives_no_date(client):
    deployment = DeploymentFactory(status="discontinued", end_date=None)
    content = client.get(deployment.get_absolute_url()).content.decode()
    assert "Discontinued</span>" in content
    assert "Discontinued</span> since" not in content


def test_technology_list_searches_name_and_description(client, django_assert_num_queries):
    DeploymentFactory()
    # Whether "face" is in the index as typed (else its near spellings are looked for), the
    # count and the rows.
    with django_assert_num_queries(3):
        response = client.get("/technologies/", {"q": "face"})
    assert response.status_code == 200
    assert [t.slug for t in response.context["object_list"]] == ["face-recognition"]
    assert response.context["object_list"][0].deployment_count == 1
    assert ("Search", "face", "?") in response.context["active_filters"]
    nothing = client.get("/technologies/", {"q": "zzzz"})
    assert nothing.status_code == 200 and list(nothing.context["object_list"]) == []
    assert "No technologies match these filters." in nothing.content.decode()


def test_technology_list_sorts_by_its_counts(client):
    DeploymentFactory.create_batch(2)
    response = client.get("/technologies/", {"sort": "-deployments"})
    assert response.context["object_list"][0].slug == "face-recognition"


@pytest.mark.parametrize(
    ("query", "param"),
    [({"sort": "bogus"}, "sort"), ({"page": "²"}, "page"), ({"q": ["a", "b"]}, "q")],
)
def test_technology_list_refuses_bad_parameters_naming_them(client, query, param):
    response = client.get("/technologies/", query)
    assert response.status_code == 400
    assert [error.param for error in response.context["errors"]] == [param]
    assert f"<code>{param}</code>" in response.content.decode()


def test_technology_list_says_an_unknown_parameter_is_not_applied(client):
    response = client.get("/technologies/", {"vendor": "acme"})
    assert response.status_code == 200
    assert "Not a filter of this list, so not applied: <code>vendor</code>" in (
        response.content.decode()
    )


def test_technology_list_downloads_its_selection_with_the_counts(client):
    DeploymentFactory.create_batch(2, technology__slug="face-recognition")
    page = client.get("/technologies/", {"q": "face"}).content.decode()
    assert 'href="/technologies/export.csv?q=face"' in page
    response = client.get("/technologies/export.csv", {"q": "face"})
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert rows[0] == "id,url,name,slug,description,deployment_count,agency_count"
    assert len(rows) == 2 and ",face-recognition," in rows[1] and rows[1].endswith(",2,2")
    response = client.get("/technologies/export.json", {"sort": "bogus"})
    assert response.status_code == 400
    assert response.json()["details"][0]["parameter"] == "sort"
