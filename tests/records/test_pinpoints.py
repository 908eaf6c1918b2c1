"""Pinpoint citations: a record's citation of a source says where in it the fact is (a page
and a short quote). Written after the source in the form's "Sources" lines, carried through
review, history, revert, merge, import and export, and shown next to the source on the
record's page, with a link that opens the page of an uploaded PDF."""

import json

import pytest

from apps.agencies.models import Agency
from apps.records import services
from apps.records.merging import merge_records
from apps.records.models import ChangeRequest
from tests.editing.test_record_forms_editing import approve, edit_data, logged_in
from tests.factories import AgencyFactory, DeploymentFactory, SourceFactory
from tests.importing.helpers import csv_rows, export, import_data, write_csv
from tests.sources.pdfs import pdf_bytes, upload

pytestmark = pytest.mark.django_db

QUOTE = "The Sheriff's Office shall not disclose the terms of this agreement."


def cite(record, source, page=None, quote=""):
    """The pinpoint of `record`'s citation of `source`, as stored: (page, quote)."""
    citation = record.citations.get(source=source)
    return citation.page, citation.quote


def edit(client, record, sources_text, **changes):
    url = f"/deployments/{record.pk}/edit/"
    data = edit_data(client, url, sources=sources_text, edit_summary="Pinpointed", **changes)
    return client.post(url, data)


def test_a_reviewer_cites_a_page_and_quote_which_the_record_page_shows(reviewer_client, client):
    document = SourceFactory(url="", document=upload(pdf_bytes("agreement", pages=3)))
    deployment = DeploymentFactory(sources=[document])

    response = edit(reviewer_client, deployment, f'#{document.pk} p. 2 "{QUOTE}"')

    assert response.status_code == 302
    assert cite(deployment, document) == (2, QUOTE)
    page = client.get(f"/deployments/{deployment.pk}/").content.decode()
    # The page of the uploaded PDF opens from the citation, next to the source's title.
    assert f'href="/sources/{document.pk}/document.pdf#page=2"' in page
    assert "p. 2" in page and "The Sheriff&#x27;s Office shall not disclose" in page
    # The version keeps the pinpoint with the sources it describes.
    version = deployment.history.latest()
    assert version.relations["pinpoints"] == {str(document.pk): {"page": 2, "quote": QUOTE}}


def test_the_edit_form_shows_the_citations_with_their_pinpoints(reviewer_client):
    source = SourceFactory(url="https://news.example.org/nda")
    deployment = DeploymentFactory(sources=[source])
    edit(reviewer_client, deployment, f'{source.url} p. 7 "signed in 2017"')

    form = reviewer_client.get(f"/deployments/{deployment.pk}/edit/").context["form"]
    assert form["sources"].value() == f'{source.url} p. 7 "signed in 2017"'
    # An unchanged form changes nothing (the pinpoint reads back as it was written).
    versions = deployment.history.count()
    edit(reviewer_client, deployment, f'{source.url} p. 7 "signed in 2017"')
    assert deployment.history.count() == versions


@pytest.mark.parametrize(
    "line, message",
    [
        ("p. 0", "A page is a number from 1 to 99999, not 0."),
        ("page twelve", "is not a page and quote"),
        ('p. 3 "unfinished', "is not a page and quote"),
        ('""', "The quotation marks hold no quote"),
        ('pp. 14-15 "it spans"', "a citation names one page, the one that holds the quote"),
        ("pages 3 to 5", "cite the page where it starts"),
        ('"' + "x" * 501 + '"', "A quote is at most 500 characters (this one has 501)"),
    ],
)
def test_a_pinpoint_that_cannot_be_read_is_refused_with_the_reason(reviewer_client, line, message):
    source = SourceFactory()
    deployment = DeploymentFactory(sources=[source])
    versions = deployment.history.count()

    response = edit(reviewer_client, deployment, f"#{source.pk} {line}")

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors["sources"])
    assert deployment.history.count() == versions and cite(deployment, source) == (None, "")


def test_one_source_cited_twice_with_different_pinpoints_is_refused(reviewer_client):
    source = SourceFactory()
    deployment = DeploymentFactory(sources=[source])
    response = edit(reviewer_client, deployment, f"#{source.pk} p. 1\n#{source.pk} p. 2")
    assert response.status_code == 400
    assert "listed twice with different pages or quotes" in str(response.context["form"].errors)


def test_a_volunteers_pinpoint_waits_for_review_then_is_published(volunteer, reviewer, client):
    source = SourceFactory()
    deployment = DeploymentFactory(sources=[source])

    response = edit(logged_in(volunteer), deployment, f'#{source.pk} p. 4 "bought in 2017"')

    assert response.status_code == 302
    assert cite(deployment, source) == (None, "")  # nothing public changes yet
    change = ChangeRequest.objects.get(status="pending")
    rows = {
        row.label: (row.old, row.new)
        for row in logged_in(reviewer).get(change.get_absolute_url()).context["diff_rows"]
    }
    assert rows["Sources"][1].endswith('p. 4 "bought in 2017"')
    approve(reviewer, change)
    assert cite(deployment, source) == (4, "bought in 2017")
    assert "bought in 2017" in client.get(f"/deployments/{deployment.pk}/").content.decode()


def test_a_new_sources_page_and_quote_are_saved_with_it(reviewer_client):
    deployment = DeploymentFactory()
    response = edit(
        reviewer_client,
        deployment,
        "\n".join(source.citation for source in deployment.sources.all()),
        new_source_url="https://council.example.org/minutes.pdf",
        new_source_title="Council minutes",
        new_source_page="12",
        new_source_quote="approved without discussion",
    )
    assert response.status_code == 302
    new = deployment.sources.get(url="https://council.example.org/minutes.pdf")
    assert cite(deployment, new) == (12, "approved without discussion")
    citation = deployment.citations.get(source=new)
    # A web address that is itself a PDF opens at the page too.
    assert citation.page_url == "https://council.example.org/minutes.pdf#page=12"


def test_a_page_without_a_new_source_is_refused(reviewer_client):
    deployment = DeploymentFactory()
    lines = "\n".join(source.citation for source in deployment.sources.all())
    response = edit(reviewer_client, deployment, lines, new_source_page="3")
    assert response.status_code == 400
    assert "The page and quote belong to a new source" in str(response.context["form"].errors)


def test_reverting_restores_the_pinpoints_of_the_version(reviewer_client, reviewer):
    source = SourceFactory()
    deployment = DeploymentFactory(sources=[source])
    edit(reviewer_client, deployment, f'#{source.pk} p. 9 "first reading"')
    pinned = deployment.history.latest()
    edit(reviewer_client, deployment, f"#{source.pk}")
    assert cite(deployment, source) == (None, "")

    services.record_revert(
        record=deployment, version_id=pinned.history_id, reviewer=reviewer, reason="Undo"
    )

    assert cite(deployment, source) == (9, "first reading")
    restored = deployment.history.latest().relations["pinpoints"]
    assert restored == {str(source.pk): {"page": 9, "quote": "first reading"}}


def test_a_merge_moves_the_duplicates_citations_with_their_pinpoints(reviewer):
    kept_source, moved_source = SourceFactory(), SourceFactory()
    survivor = AgencyFactory(sources=[kept_source])
    duplicate = AgencyFactory(sources=[moved_source])
    services.record_save(
        record=duplicate,
        user=reviewer,
        summary="Pinpoint",
        links={
            "sources": [moved_source],
            "pinpoints": {str(moved_source.pk): {"page": 3, "quote": "est. 1851"}},
        },
    )

    merge_records(duplicate=duplicate, survivor=survivor, reviewer=reviewer, reason="Same office")

    survivor = Agency.objects.get(pk=survivor.pk)
    assert cite(survivor, moved_source) == (3, "est. 1851")
    assert cite(survivor, kept_source) == (None, "")


def test_released_documents_take_no_pinpoint(reviewer_client):
    from tests.factories import RecordsRequestFactory

    source = SourceFactory()
    request = RecordsRequestFactory(sources=[source])
    url = f"/records-requests/{request.pk}/edit/"
    data = edit_data(
        reviewer_client, url, released_documents=f"#{source.pk} p. 2", edit_summary="x"
    )
    response = reviewer_client.post(url, data)
    assert response.status_code == 400
    assert "give only the address or number" in str(response.context["form"].errors)


# ---- import and export


def test_a_rows_source_page_and_quote_are_imported_and_exported(tmp_path, client):
    rows = [
        {
            "agency": "Washington County Sheriff's Office",
            "region": "OR",
            "technology": "face-recognition",
            "source_url": "https://records.example.org/nda.pdf",
            "source_title": "Non-disclosure agreement",
            "source_page": "2",
            "source_quote": 'Terms | "confidential"',
        }
    ]
    import_data("deployments", write_csv(tmp_path, rows, kind="deployments"))

    row = csv_rows(export(client, "deployments"))[0]
    assert (row["source_pages"], row["source_quotes"]) == ("2", 'Terms || "confidential"')
    response = client.get("/deployments/export.json")
    record = json.loads(b"".join(response.streaming_content))["results"][0]
    assert record["sources"][0]["page"] == 2
    assert record["sources"][0]["quote"] == 'Terms | "confidential"'


def test_a_bad_page_in_a_file_is_reported_with_its_line(tmp_path):
    from tests.importing.helpers import refused

    rows = [
        {
            "agency": "Washington County Sheriff's Office",
            "region": "OR",
            "technology": "face-recognition",
            "source_url": "https://records.example.org/nda.pdf",
            "source_title": "Non-disclosure agreement",
            "source_page": "ii",
        }
    ]
    problems = refused("deployments", write_csv(tmp_path, rows, kind="deployments"))
    assert "line 2: source_page: “ii” is not a page: write the page number, from 1 to 99999." in (
        problems
    )
