import datetime

import pytest
from django.test import Client

from apps.core.history import save_version
from apps.core.models import Visibility
from apps.deployments.models import Deployment
from apps.records.models import ChangeRequest
from apps.sources.models import Source
from tests.factories import AgencyFactory, DeploymentFactory, ProductFactory, SourceFactory, sign_in

pytestmark = pytest.mark.django_db


def deployment_form(agency, product, **overrides):
    data = {
        "agency": agency.name,
        "technology": product.technologies.first().pk,
        "product": f"{product.name} [{product.slug}]",
        "vendor": "",
        "status": "active",
        "start": "2017-05",
        "end": "",
        "summary": "Bought to search booking photos.",
        "public_input": "no",
        "use_policy": "unknown",
        "data_sharing": "unknown",
        "last_verified": "",
        "sources": "",
        "new_source_url": "https://news.example.org/sheriff-face-recognition",
        "new_source_title": "Sheriff quietly bought face recognition",
        "new_source_publisher": "Example Gazette",
        "new_source_date": "2018-05-22",
        "new_source_kind": "news",
        "edit_summary": "Added from the Gazette's story",
        "base_version": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def agency_and_product():
    return AgencyFactory(name="Washington County Sheriff's Office"), ProductFactory()


def public_ids(client_=None):
    anonymous = Client()
    response = anonymous.get("/deployments/")
    return {d.pk for d in response.context["object_list"]}, response.context["paginator"].count


def test_volunteer_creates_a_deployment_that_waits_for_review(volunteer_client, agency_and_product):
    agency, product = agency_and_product
    response = volunteer_client.post("/deployments/new/", deployment_form(agency, product))
    change = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change.get_absolute_url()
    deployment = change.record
    assert deployment.visibility == Visibility.PENDING
    assert str(deployment.start) == "May 2017"
    assert deployment.vendor == product.vendor  # filled in from the product
    source = deployment.sources.get()
    assert source.title == "Sheriff quietly bought face recognition"
    assert source.visibility == Visibility.PENDING

    # Invisible to the public: list, count, detail page, export, source page, home counts.
    ids, count = public_ids()
    assert deployment.pk not in ids and count == 0
    anonymous = Client()
    assert anonymous.get(deployment.get_absolute_url()).status_code == 404
    export = b"".join(anonymous.get("/deployments/export.csv").streaming_content).decode()
    assert "Washington County" not in export
    assert anonymous.get(source.get_absolute_url()).status_code == 404
    home = anonymous.get("/")
    assert {label: n for label, _url, n in home.context["counts"]}["Deployments"] == 0

    # The volunteer sees it as pending.
    page = volunteer_client.get("/contributions/").content.decode()
    assert "Waiting for review (1)" in page
    assert "Technology at" not in page


def test_reviewer_approves_and_the_public_then_sees_it(
    volunteer_client, reviewer, agency_and_product
):
    agency, product = agency_and_product
    volunteer_client.post("/deployments/new/", deployment_form(agency, product))
    change = ChangeRequest.objects.get()
    reviewer_client = Client()
    sign_in(reviewer_client, reviewer)
    queue = reviewer_client.get("/review/")
    assert "Sheriff quietly bought face recognition" in queue.content.decode()
    assert change in [item[0] for item in queue.context["items"]]
    response = reviewer_client.post(f"/changes/{change.pk}/approve/")
    assert response.status_code == 302
    change.refresh_from_db()
    deployment = change.record
    assert change.status == "approved" and change.reviewer == reviewer
    assert deployment.visibility == Visibility.PUBLISHED
    assert deployment.sources.get().visibility == Visibility.PUBLISHED
    ids, count = public_ids()
    assert ids == {deployment.pk} and count == 1

    version = deployment.history.order_by("-history_id").first()
    assert version.history_user.username == "vera"
    assert version.approved_by == reviewer
    history = Client().get(f"/deployments/{deployment.pk}/history/").content.decode()
    assert "Vera Volunteer" in history and "Rita Reviewer" in history
    assert "vera@example.org" not in history


def test_reviewer_rejects_with_a_reason_the_author_sees(
    volunteer_client, reviewer, agency_and_product
):
    agency, product = agency_and_product
    volunteer_client.post("/deployments/new/", deployment_form(agency, product))
    change = ChangeRequest.objects.get()
    reviewer_client = Client()
    sign_in(reviewer_client, reviewer)
    refused = reviewer_client.post(f"/changes/{change.pk}/reject/", {"reason": ""})
    assert refused.status_code == 302
    change.refresh_from_db()
    assert change.status == "pending"  # no reason, no rejection
    reviewer_client.post(f"/changes/{change.pk}/reject/", {"reason": "The story is about Ohio."})
    change.refresh_from_db()
    assert change.status == "rejected"
    assert change.record.visibility == Visibility.WITHDRAWN  # kept in history, never public
    page = volunteer_client.get("/contributions/").content.decode()
    assert "Rejected (1)" in page and "The story is about Ohio." in page
    assert public_ids()[1] == 0


def test_reviewers_edits_publish_directly_and_are_recorded(reviewer_client, agency_and_product):
    agency, product = agency_and_product
    response = reviewer_client.post("/deployments/new/", deployment_form(agency, product))
    deployment = Deployment.objects.get()
    assert response["Location"] == deployment.get_absolute_url()
    assert deployment.visibility == Visibility.PUBLISHED
    change = ChangeRequest.objects.get()
    assert change.status == "approved" and change.reviewer == change.author
    assert public_ids()[1] == 1


def test_a_record_cannot_be_saved_without_a_source(volunteer_client, agency_and_product):
    agency, product = agency_and_product
    data = deployment_form(
        agency, product, new_source_url="", new_source_title="", new_source_publisher=""
    )
    response = volunteer_client.post("/deployments/new/", data)
    assert response.status_code == 400
    assert "Cite at least one source" in response.content.decode()
    assert not Deployment.objects.exists()


def test_form_explains_bad_dates_and_unknown_or_ambiguous_agencies(volunteer_client):
    product = ProductFactory()
    AgencyFactory(name="Springfield Police Department", region="IL")
    AgencyFactory(name="Springfield Police Department", region="MO")
    nowhere = AgencyFactory.build(name="Nowhere Police")
    response = volunteer_client.post(
        "/deployments/new/", deployment_form(nowhere, product, start="May 2017", end="2016")
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "No agency is called “Nowhere Police”" in content
    assert "use YYYY, YYYY-MM or YYYY-MM-DD" in content
    response = volunteer_client.post(
        "/deployments/new/",
        deployment_form(AgencyFactory.build(name="Springfield Police Department"), product),
    )
    content = response.content.decode()
    assert "Several agency records are called" in content
    assert "springfield-police-department-il" in content


def test_end_before_start_is_explained_on_the_form(volunteer_client, agency_and_product):
    agency, product = agency_and_product
    response = volunteer_client.post(
        "/deployments/new/", deployment_form(agency, product, start="2018", end="2017")
    )
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in response.content.decode()


def edit_form_data(client, deployment, **changes):
    form = client.get(f"/deployments/{deployment.pk}/edit/").context["form"]
    data = {}
    for field in form:
        value = field.field.prepare_value(field.value())
        data[field.name] = "" if value is None else value
    data.pop("new_source_document", None)
    data.update(changes)
    return data


def test_volunteer_edit_waits_and_approval_applies_it(volunteer_client, reviewer):
    deployment = DeploymentFactory(status="active", summary="Original summary.")
    data = edit_form_data(
        volunteer_client, deployment, status="suspended", edit_summary="Council paused it"
    )
    response = volunteer_client.post(f"/deployments/{deployment.pk}/edit/", data)
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.status == "active"  # nothing public changes yet
    change = ChangeRequest.objects.get(action="update")
    reviewer_client = Client()
    sign_in(reviewer_client, reviewer)
    detail = reviewer_client.get(change.get_absolute_url())
    rows = {row.label: (row.old, row.new) for row in detail.context["diff_rows"]}
    assert rows == {"Status": ("Active", "Suspended")}
    reviewer_client.post(f"/changes/{change.pk}/approve/")
    deployment.refresh_from_db()
    assert deployment.status == "suspended"
    assert deployment.history.order_by("-history_id").first().history_change_reason == (
        "Council paused it"
    )


def test_stale_edit_form_is_refused_with_the_other_change_shown(reviewer_client):
    deployment = DeploymentFactory(status="active")
    first = edit_form_data(reviewer_client, deployment, status="pilot", edit_summary="First")
    second = edit_form_data(reviewer_client, deployment, summary="Other text", edit_summary="2nd")
    assert reviewer_client.post(f"/deployments/{deployment.pk}/edit/", first).status_code == 302
    response = reviewer_client.post(f"/deployments/{deployment.pk}/edit/", second)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed this record while you were editing" in content
    assert "Pilot / trial" in content  # the other change is shown
    deployment.refresh_from_db()
    assert deployment.status == "pilot" and deployment.summary != "Other text"
    # Saving again, knowingly, on top of the newer version works.
    retry = response.context["form"].data.copy()
    assert reviewer_client.post(f"/deployments/{deployment.pk}/edit/", retry).status_code == 302
    deployment.refresh_from_db()
    assert deployment.summary == "Other text" and deployment.status == "pilot"


def test_approving_over_a_newer_version_needs_the_reviewer_to_decide(volunteer_client, reviewer):
    deployment = DeploymentFactory(status="active")
    data = edit_form_data(volunteer_client, deployment, status="banned", edit_summary="Ban")
    volunteer_client.post(f"/deployments/{deployment.pk}/edit/", data)
    change = ChangeRequest.objects.get(action="update")
    reviewer_client = Client()
    sign_in(reviewer_client, reviewer)
    direct = edit_form_data(reviewer_client, deployment, summary="Reviewer fix", edit_summary="x")
    reviewer_client.post(f"/deployments/{deployment.pk}/edit/", direct)
    response = reviewer_client.post(f"/changes/{change.pk}/approve/", follow=True)
    assert "The record changed after this edit was made" in response.content.decode()
    change.refresh_from_db()
    assert change.status == "pending"
    reviewer_client.post(f"/changes/{change.pk}/approve/", {"override_conflict": "on"})
    deployment.refresh_from_db()
    assert deployment.status == "banned" and deployment.summary == "Reviewer fix"


def test_revert_restores_an_earlier_version_as_a_new_version(reviewer_client):
    deployment = DeploymentFactory(status="active", summary="First text.")
    original_source = deployment.sources.get()
    data = edit_form_data(
        reviewer_client,
        deployment,
        status="banned",
        summary="Vandalised",
        sources="",
        new_source_url="https://bad.example.org/x",
        new_source_title="Bad",
        edit_summary="oops",
    )
    reviewer_client.post(f"/deployments/{deployment.pk}/edit/", data)
    versions = list(deployment.history.order_by("history_id"))
    response = reviewer_client.post(
        f"/deployments/{deployment.pk}/revert/",
        {"version": len(versions) - 1, "reason": "Undo vandalism"},
    )
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.status == "active" and deployment.summary == "First text."
    assert list(deployment.sources.all()) == [original_source]
    assert deployment.history.count() == len(versions) + 1
    assert "Undo vandalism" in deployment.history.latest().history_change_reason


def test_withdraw_hides_and_restore_brings_back(reviewer_client):
    deployment = DeploymentFactory()
    reviewer_client.post(f"/deployments/{deployment.pk}/withdraw/", {"reason": "Duplicate"})
    deployment.refresh_from_db()
    assert deployment.visibility == Visibility.WITHDRAWN
    assert Client().get(deployment.get_absolute_url()).status_code == 404
    assert Deployment.objects.filter(pk=deployment.pk).exists()  # never deleted
    history = reviewer_client.get(f"/deployments/{deployment.pk}/history/").content.decode()
    assert "Withdraw: Duplicate" in history
    reviewer_client.post(f"/deployments/{deployment.pk}/restore/", {"reason": "Not a dup"})
    deployment.refresh_from_db()
    assert deployment.visibility == Visibility.PUBLISHED
    assert Client().get(deployment.get_absolute_url()).status_code == 200


def test_public_history_shows_versions_and_the_diff_between_any_two(reviewer_client):
    deployment = DeploymentFactory(status="active", start_date=datetime.date(2017, 1, 1))
    for status in ("pilot", "suspended"):
        data = edit_form_data(reviewer_client, deployment, status=status, edit_summary=status)
        reviewer_client.post(f"/deployments/{deployment.pk}/edit/", data)
    versions = list(deployment.history.order_by("history_id"))
    anonymous = Client()
    response = anonymous.get(
        f"/deployments/{deployment.pk}/history/",
        {"old": 1, "new": len(versions)},
    )
    assert response.status_code == 200
    rows = {row.label: (row.old, row.new) for row in response.context["diff_rows"]}
    assert rows["Status"] == ("Active", "Suspended")
    assert "Revert to this" not in response.content.decode()  # reviewers only
    assert anonymous.get(f"/deployments/{deployment.pk}/history/?old=1&new=x").status_code == 404


def test_history_of_an_unpublished_record_is_not_public(volunteer_client, agency_and_product):
    agency, product = agency_and_product
    volunteer_client.post("/deployments/new/", deployment_form(agency, product))
    deployment = Deployment.objects.get()
    assert Client().get(f"/deployments/{deployment.pk}/history/").status_code == 404


def test_existing_source_can_be_cited_by_address_or_number(volunteer_client, agency_and_product):
    agency, product = agency_and_product
    first = SourceFactory(url="https://records.example.org/release-1")
    second = SourceFactory()
    sources_before = Source.objects.count()
    data = deployment_form(
        agency,
        product,
        sources=f"{first.url}\n#{second.pk}",
        new_source_url="",
        new_source_title="",
        new_source_publisher="",
    )
    assert volunteer_client.post("/deployments/new/", data).status_code == 302
    assert set(Deployment.objects.get().sources.all()) == {first, second}
    assert Source.objects.count() == sources_before  # cited, not copied
    bad = deployment_form(agency, product, sources="https://unknown.example.org/")
    response = volunteer_client.post("/deployments/new/", bad)
    assert "Not in the registry: https://unknown.example.org/" in response.content.decode()


def test_autocomplete_suggests_records_by_name(volunteer_client):
    AgencyFactory(name="Washington County Sheriff's Office", region="OR")
    response = volunteer_client.get("/autocomplete/agencies/", {"q": "washington"})
    labels = [result["value"] for result in response.json()["results"]]
    assert labels == ["Washington County Sheriff's Office [washington-county-sheriffs-office-or]"]
    assert Client().get("/autocomplete/agencies/", {"q": "wash"}).status_code == 302


def test_a_deployment_of_an_agency_still_in_review_waits_for_it(
    volunteer_client, volunteer, reviewer
):
    product = ProductFactory()
    # The volunteer's own new agency, not reviewed yet: theirs to link to.
    agency = AgencyFactory.build(name="New Town Police", visibility=Visibility.PENDING)
    save_version(agency, user=volunteer, summary="New agency", first=True)
    volunteer_client.post("/deployments/new/", deployment_form(agency, product))
    change = ChangeRequest.objects.get()
    reviewer_client = Client()
    sign_in(reviewer_client, reviewer)
    response = reviewer_client.post(f"/changes/{change.pk}/approve/", follow=True)
    assert "not published yet: agency “New Town Police”" in response.content.decode()
    change.refresh_from_db()
    assert change.status == "pending"
    agency.visibility = Visibility.PUBLISHED
    agency.save()
    reviewer_client.post(f"/changes/{change.pk}/approve/")
    change.refresh_from_db()
    assert change.status == "approved"
