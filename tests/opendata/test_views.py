"""/data/ before and after a build, and the archive's download: its type, name, ETag and
conditional answer."""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from apps.opendata import package

pytestmark = pytest.mark.django_db


def test_before_any_build_the_page_says_so_and_how_to_build_it(
    client, data_dir, records, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/data/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "No data package has been built yet" in text
    assert "python manage.py build_data_package" in text
    # No link to an archive that is not there.
    assert reverse("opendata:archive") not in text
    assert client.get(reverse("opendata:archive")).status_code == 404
    # The list exports are there all the same, and the licence and citation.
    assert reverse("contracts:export", args=["csv"]) in text
    assert reverse("sources:export", args=["json"]) in text
    assert "Open Data Commons Open Database License" in text
    assert "How to cite it" in text


def test_after_a_build_the_page_describes_and_links_the_archive(
    client, data_dir, records, settings, django_assert_num_queries
):
    settings.DATA_LICENSE_TITLE = "Creative Commons Attribution 4.0"
    settings.DATA_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
    path, descriptor = package.build()
    with django_assert_num_queries(0):
        response = client.get("/data/")
    text = response.content.decode()
    assert "No data package has been built yet" not in text
    assert f'href="{reverse("opendata:archive")}"' in text
    assert response.context["archive"].size == path.stat().st_size
    # The build time and the rows of each file.
    assert descriptor["created"][:10] in text
    for resource in descriptor["resources"]:
        assert f"<code>{resource['path']}</code>" in text
        assert f"<code>{resource['name']}.jsonl</code>" in text
    rows = {r["name"]: r["x_records"] for r in response.context["archive"].resources}
    assert rows["contracts"] == 1
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in text
    assert "http://testserver/data/" in text  # the citation's address


def test_the_archive_downloads_as_a_zip_attachment_with_an_etag(
    client, data_dir, records, django_assert_num_queries
):
    package.build()
    with django_assert_num_queries(0):
        response = client.get(reverse("opendata:archive"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="surveillance-')
    body = b"".join(response.streaming_content)
    assert body == package.archive_path().read_bytes()
    etag = response["ETag"]
    again = client.get(reverse("opendata:archive"), headers={"if-none-match": etag})
    assert again.status_code == 304

    # A new build is a new file: the old ETag no longer matches.
    package.build()
    fresh = client.get(reverse("opendata:archive"), headers={"if-none-match": etag})
    assert fresh.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(fresh.streaming_content)))
    assert json.loads(archive.read("datapackage.json"))["resources"]


def test_an_unreadable_archive_counts_as_none(client, data_dir, records):
    data_dir.mkdir(parents=True)
    package.archive_path().write_bytes(b"not a zip")
    response = client.get("/data/")
    assert "No data package has been built yet" in response.content.decode()
    assert client.get(reverse("opendata:archive")).status_code == 404


def test_every_page_links_the_data_page(client, db):
    assert 'href="/data/"' in client.get("/").content.decode()


@pytest.fixture
def started(monkeypatch):
    """The builds the view starts (a process of their own in production), recorded."""
    calls = []
    monkeypatch.setattr("apps.opendata.views.start_build", lambda: calls.append(True))
    return calls


def test_a_reviewer_starts_a_build_at_most_once_per_window(reviewer_client, data_dir, started):
    page = reviewer_client.get("/data/").content.decode()
    assert f'action="{reverse("opendata:build")}"' in page
    response = reviewer_client.post(reverse("opendata:build"), follow=True)
    assert response.redirect_chain == [(reverse("opendata:page"), 302)]
    assert "The data package is being built" in response.content.decode()
    assert started == [True]

    again = reviewer_client.post(reverse("opendata:build"))
    assert again.status_code == 429
    assert int(again["Retry-After"]) > 0
    assert "try again in" in again.content.decode()
    assert started == [True]


def test_only_reviewers_may_start_a_build(volunteer_client, data_dir, started):
    anonymous = Client()
    response = anonymous.post(reverse("opendata:build"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert reverse("opendata:build") not in anonymous.get("/data/").content.decode()
    assert volunteer_client.post(reverse("opendata:build")).status_code == 403
    assert reverse("opendata:build") not in volunteer_client.get("/data/").content.decode()
    assert started == []


def test_a_build_is_not_started_by_a_get(reviewer_client, data_dir, started):
    assert reviewer_client.get(reverse("opendata:build")).status_code == 405
    assert started == []


def test_start_build_runs_the_command_in_a_process_of_its_own(monkeypatch, settings):
    from apps.opendata import views

    runs = []
    monkeypatch.setattr(views.subprocess, "Popen", lambda args, **kw: runs.append((args, kw)))
    views.start_build()
    [(args, options)] = runs
    assert args[1:] == [str(settings.BASE_DIR / "manage.py"), "build_data_package", "-v0"]
    assert options["start_new_session"] is True
