"""History without noise: empty saves, per-record version numbers, confirmed reverts with a
reason, versions that cannot be restored, and what diffs show of sources and documents."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.core.models import Visibility
from apps.records import services
from apps.records.models import ChangeRequest
from tests.editing.test_bad_input import messages_of
from tests.editing.test_record_forms_editing import edit_data
from tests.factories import AgencyFactory, DeploymentFactory, SourceFactory, sign_in
from tests.sources.pdfs import pdf_bytes, upload

pytestmark = pytest.mark.django_db

# A PDF the upload checks read (apps/sources/uploads.py).
PDF = pdf_bytes("Records release")


def logged_in(user):
    client = Client()
    sign_in(client, user)
    return client


def version_cells(page):
    """The numbers in the history table's Version column, newest first."""
    return [int(n) for n in re.findall(r"<td>(\d+)(?: <small>\(current\)</small>)?</td>", page)]


# ---- saving a form that changes nothing ----------------------------------------------------


@pytest.mark.parametrize("role", ["volunteer", "reviewer"])
def test_saving_an_unchanged_form_saves_nothing_and_says_so(
    role, volunteer_client, reviewer_client
):
    client = {"volunteer": volunteer_client, "reviewer": reviewer_client}[role]
    deployment = DeploymentFactory(summary="Line one.\nLine two.")
    versions = deployment.history.count()
    url = f"/deployments/{deployment.pk}/edit/"
    # A browser sends a textarea's line breaks as CRLF: still no change.
    data = edit_data(client, url, summary="Line one.\r\nLine two.", edit_summary="Nothing")

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == deployment.get_absolute_url()
    assert messages_of(response) == ["No changes to save: the record is as it was."]
    assert deployment.history.count() == versions
    assert not ChangeRequest.objects.exists()


def test_an_empty_save_does_not_put_another_editor_into_a_conflict(volunteer, reviewer):
    volunteer_client, reviewer_client = logged_in(volunteer), logged_in(reviewer)
    agency = AgencyFactory(locality="Hillsboro")
    url = f"/agencies/{agency.slug}/edit/"
    volunteers_form = edit_data(volunteer_client, url, locality="Beaverton", edit_summary="Fix")
    # A reviewer opens the same record and saves it without changing anything.
    reviewer_client.post(url, edit_data(reviewer_client, url, edit_summary="Looked at it"))

    response = volunteer_client.post(url, volunteers_form)

    assert response.status_code == 302, "not a 409 conflict over no differences"
    assert ChangeRequest.objects.get().payload["locality"] == ["Beaverton"]


def test_versions_that_changed_nothing_do_not_make_a_form_stale(volunteer_client, reviewer):
    # An old database may hold versions that changed nothing (an empty save, a withdrawal
    # and restoration): a form opened before them is not in conflict with anyone.
    agency = AgencyFactory(locality="Hillsboro")
    url = f"/agencies/{agency.slug}/edit/"
    volunteers_form = edit_data(volunteer_client, url, locality="Beaverton", edit_summary="Fix")
    services.record_save(record=agency, user=reviewer, summary="Empty save", approved_by=reviewer)
    for visibility in (Visibility.WITHDRAWN, Visibility.PUBLISHED):
        services.record_set_visibility(
            record=agency, visibility=visibility, reviewer=reviewer, reason="Checking"
        )

    response = volunteer_client.post(url, volunteers_form)

    assert response.status_code == 302
    assert ChangeRequest.objects.filter(action="update", status="pending").count() == 1


# ---- version numbers -----------------------------------------------------------------------


def test_version_numbers_count_within_the_record(client, reviewer_client):
    for _ in range(5):
        AgencyFactory()  # other records' versions take the first ids of the history table
    agency = AgencyFactory(locality="Hillsboro")
    url = f"/agencies/{agency.slug}/edit/"
    reviewer_client.post(
        url, edit_data(reviewer_client, url, locality="Beaverton", edit_summary="x")
    )
    versions = list(agency.history.order_by("history_id"))
    count = len(versions)
    assert versions[0].history_id > count  # so that a history id shown by mistake is noticed

    page = client.get(f"/agencies/{agency.slug}/history/").content.decode()
    assert version_cells(page) == list(range(count, 0, -1))
    assert f'aria-label="Compare to version {count}"' in page

    # The compare form sends the numbers the page shows, not ids of the history table.
    assert f'name="old" value="{count - 1}"' in page
    assert f'value="{versions[0].history_id}"' not in page
    compare = client.get(
        f"/agencies/{agency.slug}/history/", {"old": 1, "new": count}
    ).content.decode()
    assert f"Differences between version 1 and version {count}" in compare
    assert '<th scope="col">Version 1</th>' in compare
    history_ids = {"old": versions[0].history_id, "new": versions[-1].history_id}
    assert client.get(f"/agencies/{agency.slug}/history/", history_ids).status_code == 404


def test_revert_links_name_the_version_number_the_page_shows(reviewer_client):
    for _ in range(5):
        AgencyFactory()  # other records' versions take the first ids of the history table
    agency = AgencyFactory(locality="Hillsboro")
    url = f"/agencies/{agency.slug}/edit/"
    for locality in ("Beaverton", "Tigard"):
        data = edit_data(reviewer_client, url, locality=locality, edit_summary=locality)
        assert reviewer_client.post(url, data).status_code == 302
    count = agency.history.count()
    number = count - 2  # the last version in Hillsboro, before both edits
    hillsboro = agency.history.order_by("history_id")[number - 1]
    assert hillsboro.locality == "Hillsboro" and hillsboro.history_id > count

    page = reviewer_client.get(f"/agencies/{agency.slug}/history/").content.decode()
    revert_url = f"/agencies/{agency.slug}/revert/?version={number}"
    assert f'href="{revert_url}"' in page
    assert f"?version={hillsboro.history_id}" not in page
    confirm = reviewer_client.get(revert_url)
    assert confirm.status_code == 200
    assert confirm.context["version"].history_id == hillsboro.history_id
    assert f'name="version" value="{number}"' in confirm.content.decode()
    assert f"Revert to version {number}" in confirm.content.decode()
    missing = reviewer_client.get(f"/agencies/{agency.slug}/revert/?version={count + 1}")
    assert missing.status_code == 404

    done = reviewer_client.post(
        f"/agencies/{agency.slug}/revert/", {"version": number, "reason": "Back to the start"}
    )
    assert done.status_code == 302
    agency.refresh_from_db()
    assert agency.locality == "Hillsboro"
    summary = agency.history.latest().history_change_reason
    assert summary == f"Reverted to version {number}: Back to the start"


def test_a_change_page_names_the_version_it_produced(reviewer_client):
    for _ in range(3):
        AgencyFactory()
    agency = AgencyFactory(locality="Hillsboro")
    url = f"/agencies/{agency.slug}/edit/"
    reviewer_client.post(
        url, edit_data(reviewer_client, url, locality="Beaverton", edit_summary="x")
    )
    change = ChangeRequest.objects.get()
    page = reviewer_client.get(change.get_absolute_url()).content.decode()
    assert f">version {agency.history.count()}</a> of the record" in page
    assert f"version {change.version}<" not in page


# ---- revert: confirmation, reason, refusal --------------------------------------------------


def test_revert_shows_what_changes_and_asks_why(reviewer_client, client):
    agency = AgencyFactory(locality="Hillsboro")
    url = f"/agencies/{agency.slug}/edit/"
    reviewer_client.post(url, edit_data(reviewer_client, url, locality="Vandal", edit_summary="x"))
    versions = agency.history.count()
    before = versions - 1  # the version before the vandal's
    history = reviewer_client.get(f"/agencies/{agency.slug}/history/").content.decode()
    revert_url = f"/agencies/{agency.slug}/revert/?version={before}"
    assert f'href="{revert_url}"' in history  # a link to the confirmation, not a bare button

    confirm = reviewer_client.get(revert_url)
    assert confirm.status_code == 200
    rows = {row.label: (row.old, row.new) for row in confirm.context["diff_rows"]}
    assert rows == {"Locality": ("Vandal", "Hillsboro")}
    page = confirm.content.decode()
    assert f"Revert to version {versions - 1}" in page and 'name="reason"' in page

    # Without a reason nothing happens.
    post = {"version": before, "reason": ""}
    refused = reviewer_client.post(f"/agencies/{agency.slug}/revert/", post)
    assert refused.status_code == 400
    agency.refresh_from_db()
    assert agency.locality == "Vandal" and agency.history.count() == versions

    post["reason"] = "Undo vandalism"
    done = reviewer_client.post(f"/agencies/{agency.slug}/revert/", post)
    assert done.status_code == 302
    agency.refresh_from_db()
    assert agency.locality == "Hillsboro"
    latest = agency.history.latest()
    summary = f"Reverted to version {versions - 1}: Undo vandalism"
    assert latest.history_change_reason == summary
    assert summary in client.get(f"/agencies/{agency.slug}/history/").content.decode()


def test_a_version_that_cannot_be_restored_says_why(reviewer_client, reviewer):
    old_source, new_source = SourceFactory(), SourceFactory()
    first_agency = AgencyFactory(name="First Sheriff")
    deployment = DeploymentFactory(agency=first_agency, sources=[old_source])
    deployment.agency = AgencyFactory()
    services.record_save(
        record=deployment, user=reviewer, summary="Moved", links={"sources": [new_source]}
    )
    # The first version's agency and source are withdrawn since.
    for record in (first_agency, old_source):
        services.record_set_visibility(
            record=record, visibility=Visibility.WITHDRAWN, reviewer=reviewer, reason="Dup"
        )
    page = reviewer_client.get(f"/deployments/{deployment.pk}/history/").content.decode()
    assert "Cannot be restored" in page and "First Sheriff" in page
    assert "revert/?version=1" not in page
    confirm = reviewer_client.get(f"/deployments/{deployment.pk}/revert/?version=1")
    assert "Cannot be restored" in confirm.content.decode()
    assert 'name="reason"' not in confirm.content.decode()


def test_a_version_without_a_published_source_cannot_be_restored(reviewer_client, reviewer):
    old_source, new_source = SourceFactory(), SourceFactory()
    deployment = DeploymentFactory(sources=[old_source])
    services.record_save(
        record=deployment, user=reviewer, summary="Better source", links={"sources": [new_source]}
    )
    services.record_set_visibility(
        record=old_source, visibility=Visibility.WITHDRAWN, reviewer=reviewer, reason="Fake"
    )
    versions = deployment.history.count()
    response = reviewer_client.post(
        f"/deployments/{deployment.pk}/revert/",
        {"version": 1, "reason": "Try"},
        follow=True,
    )
    assert "needs at least one source" in response.content.decode()
    assert deployment.history.count() == versions
    page = reviewer_client.get(f"/deployments/{deployment.pk}/history/").content.decode()
    assert "Cannot be restored: A record needs at least one source" in page


def test_a_version_the_same_as_the_current_one_offers_no_revert(reviewer_client, reviewer):
    agency = AgencyFactory()
    for visibility in (Visibility.WITHDRAWN, Visibility.PUBLISHED):
        services.record_set_visibility(
            record=agency, visibility=visibility, reviewer=reviewer, reason="Checking"
        )
    page = reviewer_client.get(f"/agencies/{agency.slug}/history/").content.decode()
    assert "Same as the current version: nothing to restore." in page
    assert "revert/?version=" not in page


# ---- what diffs show ------------------------------------------------------------------------


def test_the_review_diff_shows_the_address_of_a_newly_cited_source(volunteer_client, reviewer):
    cited = SourceFactory(title="Sheriff's memo", url="https://records.example.org/memo-17")
    agency = AgencyFactory()
    url = f"/agencies/{agency.slug}/edit/"
    sources = volunteer_client.get(url).context["form"]["sources"].value()
    data = edit_data(volunteer_client, url, sources=f"{sources}\n{cited.url}", edit_summary="x")
    assert volunteer_client.post(url, data).status_code == 302
    reviewer_client = Client()
    sign_in(reviewer_client, reviewer)
    queue = reviewer_client.get("/review/").content.decode()
    assert "Sheriff&#x27;s memo (https://records.example.org/memo-17)" in queue


def test_the_history_diff_never_prints_a_documents_storage_path(reviewer_client, client):
    source = SourceFactory()
    url = f"/sources/{source.pk}/edit/"
    for name in ("unredacted.pdf", "redacted.pdf"):
        data = edit_data(reviewer_client, url, edit_summary=f"Upload {name}")
        upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
        assert reviewer_client.post(url, {**data, "document": upload}).status_code == 302
        source.refresh_from_db()
    paths = [version.document for version in source.history.order_by("history_id")]
    page = client.get(f"/sources/{source.pk}/history/", {"old": 2, "new": 3}).content.decode()
    assert "Replaced by a new upload" in page
    page += client.get(f"/sources/{source.pk}/history/", {"old": 1, "new": 2}).content.decode()
    assert "An uploaded document" in page
    for path in filter(None, paths):
        assert str(path) not in page


def history_queries(client, deployment):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/deployments/{deployment.pk}/history/").status_code == 200
    return len(queries)


def test_the_history_page_takes_as_many_queries_for_any_number_of_versions(
    reviewer, django_assert_num_queries
):
    deployment = DeploymentFactory()
    reviewer_client = logged_in(reviewer)
    counts = []
    for summary in ("Second", "Third", "Fourth", "Fifth"):
        deployment.summary = summary
        deployment.agency = AgencyFactory()
        services.record_save(record=deployment, user=reviewer, summary=summary)
        counts.append(history_queries(reviewer_client, deployment))
    assert len(set(counts)) == 1, counts  # revert checks are batched, not one per version
    # The public page: the record, the names in its title (agency, technology, product) and
    # its versions with their authors.
    with django_assert_num_queries(5):
        Client().get(f"/deployments/{deployment.pk}/history/")


# ---- reverting to a replaced document ------------------------------------------------------


def test_reverting_to_a_replaced_document_warns_and_needs_an_explicit_confirmation(
    reviewer_client,
):
    original, redacted = pdf_bytes("Unredacted"), pdf_bytes("Redacted")
    source = SourceFactory()
    url = f"/sources/{source.pk}/edit/"
    for name, content in (("original", original), ("redacted", redacted)):
        data = edit_data(reviewer_client, url, edit_summary=f"Upload the {name} copy")
        assert reviewer_client.post(url, {**data, "document": upload(content)}).status_code == 302
    number = source.history.count() - 1  # the version with the original document
    document_url = f"/sources/{source.pk}/document.pdf"
    served = Client().get(document_url)
    assert b"".join(served.streaming_content) == redacted

    confirm = reviewer_client.get(f"/sources/{source.pk}/revert/?version={number}")
    page = confirm.content.decode()
    assert "This revert brings back a replaced document." in page
    assert "downloadable by anyone: this source is public" in page
    assert "I understand the earlier document becomes public again" in page
    assert 'name="restore_document"' in page

    # A reason alone is not enough: nothing changes, and the page says what is missing.
    post = {"version": number, "reason": "Undo the redaction"}
    refused = reviewer_client.post(f"/sources/{source.pk}/revert/", post)
    assert refused.status_code == 400
    assert "Tick the box to confirm" in refused.content.decode()
    assert source.history.count() == number + 1
    assert b"".join(Client().get(document_url).streaming_content) == redacted

    done = reviewer_client.post(f"/sources/{source.pk}/revert/", {**post, "restore_document": "on"})
    assert done.status_code == 302
    assert b"".join(Client().get(document_url).streaming_content) == original


def test_a_revert_that_restores_no_earlier_document_asks_no_confirmation(reviewer_client):
    source = SourceFactory(title="Original title")
    url = f"/sources/{source.pk}/edit/"
    data = edit_data(reviewer_client, url, title="Vandalised", edit_summary="x")
    assert (
        reviewer_client.post(url, {**data, "document": upload(pdf_bytes("A"))}).status_code == 302
    )
    number = source.history.count() - 1  # before the upload: no document at all
    page = reviewer_client.get(f"/sources/{source.pk}/revert/?version={number}").content.decode()
    assert "replaced document" not in page and 'name="restore_document"' not in page
    done = reviewer_client.post(
        f"/sources/{source.pk}/revert/", {"version": number, "reason": "Undo"}
    )
    assert done.status_code == 302
    source.refresh_from_db()
    assert source.title == "Original title" and not source.document


def test_the_revert_service_refuses_an_unconfirmed_replaced_document(reviewer):
    source = SourceFactory(document=upload(pdf_bytes("Unredacted")))
    first = source.history.latest()
    source.document = upload(pdf_bytes("Redacted"))
    services.record_save(record=source, user=reviewer, summary="Redacted copy")
    with pytest.raises(ValidationError, match="brings back a replaced document"):
        services.record_revert(
            record=source, version_id=first.history_id, reviewer=reviewer, reason="Undo"
        )
    services.record_revert(
        record=source,
        version_id=first.history_id,
        reviewer=reviewer,
        reason="Undo",
        document_confirmed=True,
    )
    source.refresh_from_db()
    assert source.document.name == first.document
