"""What a person may link to or cite is one rule (`linkable_by`): published records, plus
their own records waiting for review; a reviewer anything not withdrawn. No route of a form
— a name, an identifier, a source's number or address, a hint, a clash message, the change
page — reaches another volunteer's unreviewed record."""

import pytest

from apps.agencies.models import Agency
from apps.core.history import save_version
from apps.core.models import Visibility
from apps.deployments.models import Deployment
from apps.records.models import ChangeRequest
from apps.sources.models import Source
from tests.editing.test_deployment_editing import deployment_form
from tests.factories import (
    AgencyFactory,
    DeploymentFactory,
    ProductFactory,
    SourceFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

SECRET = "Zz Secret Pending"


def added_by(user, factory, **fields):
    """A record `user` added (they saved its first version), waiting for review."""
    record = factory.build(visibility=Visibility.PENDING, **fields)
    save_version(record, user=user, summary="Added", first=True)
    return record


@pytest.fixture
def other_volunteer(db):
    return member_of("Volunteers", username="otto", display_name="Otto Other")


@pytest.fixture
def their_agency(other_volunteer):
    return added_by(other_volunteer, AgencyFactory, name=f"{SECRET} Agency")


@pytest.fixture
def their_source(other_volunteer):
    return added_by(
        other_volunteer,
        SourceFactory,
        title=f"{SECRET} Source",
        url="https://leak.example.org/unreviewed",
    )


def post_deployment(client, agency_text, **overrides):
    data = deployment_form(AgencyFactory.build(name=""), ProductFactory(), **overrides)
    data["agency"] = agency_text
    return client.post("/deployments/new/", data)


def refused(response, typed=""):
    assert response.status_code == 400
    assert not Deployment.objects.exists()
    assert not ChangeRequest.objects.exists()
    # What the person typed is echoed back; nothing else may name the record.
    page = response.content.decode().replace(typed, "")
    assert SECRET not in page
    return page


@pytest.mark.parametrize("how", ["name", "slug", "number"])
def test_another_volunteers_pending_agency_cannot_be_linked(volunteer_client, their_agency, how):
    text = {
        "name": their_agency.name,
        "slug": f"Anything [{their_agency.slug}]",
        "number": f"Anything [{their_agency.pk}]",
    }[how]
    page = refused(post_deployment(volunteer_client, text), typed=text)
    assert "No agency" in page


def test_stepping_through_identifiers_names_no_pending_record(volunteer_client, their_agency):
    # The form echoes what was typed, never a label looked up from the number.
    page = refused(post_deployment(volunteer_client, f"[{their_agency.pk}]"))
    assert f"No agency has the identifier “{their_agency.pk}”" in page


def test_a_similar_name_hint_leaves_pending_records_out(volunteer_client, their_agency):
    AgencyFactory(name="Zz Public Agency")
    page = refused(post_deployment(volunteer_client, "Zz"))
    assert "Zz Public Agency" in page


@pytest.mark.parametrize("how", ["number", "address"])
def test_another_volunteers_pending_source_cannot_be_cited(
    volunteer_client, their_agency, their_source, how
):
    agency = AgencyFactory()
    line = f"#{their_source.pk}" if how == "number" else their_source.url
    response = post_deployment(
        volunteer_client,
        agency.name,
        sources=line,
        new_source_url="",
        new_source_title="",
        new_source_publisher="",
        new_source_date="",
    )
    page = refused(response)
    if how == "address":
        assert "already recorded and under review" in page
    their_source.refresh_from_db()
    assert their_source.visibility == Visibility.PENDING


def test_a_new_source_at_a_pending_sources_address_is_refused_without_its_title(
    volunteer_client, their_source
):
    agency = AgencyFactory()
    response = post_deployment(
        volunteer_client,
        agency.name,
        new_source_url=their_source.url,
        new_source_title="My own title",
    )
    page = refused(response)
    assert "already recorded and under review" in page
    assert not Source.objects.filter(title="My own title").exists()


def test_adding_a_source_whose_address_is_pending_does_not_name_it(volunteer_client, their_source):
    response = volunteer_client.post(
        "/sources/new/",
        {
            "title": "Another title",
            "url": their_source.url,
            "publisher": "",
            "published": "",
            "kind": "news",
            "archive_url": "",
            "notes": "",
            "edit_summary": "New source",
            "base_version": "",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "already recorded and under review" in page
    assert SECRET not in page
    assert f"#{their_source.pk}" not in page


def test_a_reviewer_is_still_told_which_source_has_the_address(reviewer_client, their_source):
    response = reviewer_client.post(
        "/sources/new/",
        {"title": "T", "url": their_source.url, "kind": "news", "edit_summary": "New"},
    )
    assert response.status_code == 400
    assert f"{SECRET} Source" in response.content.decode()


def test_an_ori_clash_with_a_pending_agency_does_not_name_it(volunteer_client, other_volunteer):
    added_by(other_volunteer, AgencyFactory, name=f"{SECRET} Sheriff", ori="OR0340000")
    data = {
        "name": "Another Sheriff",
        "kind": "sheriff",
        "jurisdiction_level": "county",
        "country": "US",
        "region": "OR",
        "ori": "OR0340000",
        "sources": "",
        "new_source_url": "https://news.example.org/a",
        "new_source_title": "A story",
        "edit_summary": "New agency",
    }
    response = volunteer_client.post("/agencies/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "already recorded and not public" in page
    assert SECRET not in page


def test_own_pending_records_can_be_linked_and_cited(volunteer_client, volunteer):
    mine = added_by(volunteer, AgencyFactory, name="My New Agency")
    source = added_by(volunteer, SourceFactory, title="My new source")
    response = post_deployment(
        volunteer_client,
        f"{mine.name} [{mine.slug}]",
        sources=f"#{source.pk}",
        new_source_url="",
        new_source_title="",
        new_source_publisher="",
        new_source_date="",
    )
    assert response.status_code == 302
    deployment = Deployment.objects.get()
    assert deployment.agency == mine
    assert list(deployment.sources.all()) == [source]


def test_a_reviewer_may_link_any_record_not_withdrawn(reviewer_client, their_agency):
    response = post_deployment(reviewer_client, their_agency.name)
    # The form accepts the agency; publishing a link to it waits for its review.
    assert "not published yet: agency “Zz Secret Pending Agency”" in response.content.decode()


def test_nobody_links_a_withdrawn_record(reviewer_client):
    withdrawn = AgencyFactory(name="Zz Gone Agency", visibility=Visibility.WITHDRAWN)
    response = post_deployment(reviewer_client, f"x [{withdrawn.slug}]")
    assert response.status_code == 400
    assert not Deployment.objects.exists()


def test_autocomplete_hides_another_volunteers_pending_source(
    volunteer_client, volunteer, their_source
):
    mine = added_by(volunteer, SourceFactory, title="Zz Secret Pending but mine")
    results = volunteer_client.get("/autocomplete/sources/", {"q": "zz"}).json()["results"]
    labels = [result["label"] for result in results]
    assert any(mine.title in label for label in labels)
    assert not any(their_source.title in label for label in labels)


def test_a_contract_lists_no_pending_product_or_deployment_of_someone_else(
    volunteer_client, other_volunteer
):
    deployment = DeploymentFactory()
    vendor = deployment.vendor or ProductFactory().vendor
    hidden_product = added_by(
        other_volunteer, ProductFactory, name=f"{SECRET} Product", vendor=vendor
    )
    hidden_deployment = added_by(
        other_volunteer, DeploymentFactory, agency=deployment.agency, product=None, vendor=vendor
    )
    data = {
        "agency": f"x [{deployment.agency.slug}]",
        "vendor": f"x [{vendor.slug}]",
        "title": "A contract",
        "products": f"x [{hidden_product.slug}]\nNo such product",
        "deployments": f"#{hidden_deployment.pk}",
        "new_source_url": "https://news.example.org/contract",
        "new_source_title": "A contract story",
        "edit_summary": "New contract",
    }
    response = volunteer_client.post("/contracts/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert SECRET not in page
    assert f"There is no deployment #{hidden_deployment.pk}" in page


def test_the_change_page_does_not_name_a_hidden_record_a_stored_edit_links(
    volunteer_client, volunteer, their_agency
):
    """An edit stored before this rule (or by any route) linking another volunteer's pending
    agency: its author's change page says a record not public, never the name."""
    deployment = DeploymentFactory()
    data = deployment_form(deployment.agency, deployment.product or ProductFactory())
    data.update(
        agency=f"x [{their_agency.slug}]",
        new_source_url="",
        new_source_title="",
        new_source_publisher="",
        new_source_date="",
        sources="\n".join(source.url for source in deployment.sources.all()),
        base_version=str(deployment.history.latest("history_id").history_id),
    )
    change = ChangeRequest.objects.create(
        record=deployment,
        action="update",
        author=volunteer,
        summary="Edit",
        payload={key: [str(value)] for key, value in data.items()},
    )
    page = volunteer_client.get(f"/changes/{change.pk}/").content.decode()
    assert SECRET not in page
    assert "a record not public" in page
    assert Agency.objects.get(pk=their_agency.pk).visibility == Visibility.PENDING
