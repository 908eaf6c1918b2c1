"""The Django admin is one more writer: a save there is one version with its author and a
summary, written by the editing services; it cannot publish a link to a hidden record nor
leave a published record without a published source; and visibility and merges, which change
what the public sees of other records too, are read-only there (done on the site)."""

import pytest

from apps.core.history import save_version
from apps.core.models import Visibility
from apps.deployments.models import Deployment
from apps.records.models import ChangeAction, ChangeRequest, ChangeStatus
from tests.factories import AgencyFactory, DeploymentFactory, SourceFactory, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    sign_in(client, admin_user)
    return client


def change_url(record):
    meta = record._meta
    return f"/admin/{meta.app_label}/{meta.model_name}/{record.pk}/change/"


def admin_data(client, page, **changes):
    """What the admin's change form submits when nothing is changed, updated by `changes`."""
    response = client.get(page)
    assert response.status_code == 200
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            data[field.html_name] = "" if value is None else value
    data.update(changes)
    return data


def new_citation(record, source, *, page="", quote=""):
    """The admin form data that cites `source` in the citations inline's blank form (after
    the record's own citations)."""
    index = record.citations.count()
    return {
        f"citations-{index}-source": source.pk,
        f"citations-{index}-page": page,
        f"citations-{index}-quote": quote,
    }


def save(client, record, **changes):
    url = change_url(record)
    return client.post(url, admin_data(client, url, **changes))


def test_an_admin_save_is_one_version_with_its_author_and_summary(admin_client, admin_user):
    deployment = DeploymentFactory(summary="Before.")
    versions = deployment.history.count()
    second = SourceFactory()
    sources = [*deployment.sources.values_list("pk", flat=True), second.pk]

    response = save(
        admin_client,
        deployment,
        summary="After.",
        **new_citation(deployment, second, page="12", quote="the council never voted"),
    )

    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.summary == "After."
    assert deployment.history.count() == versions + 1  # fields and links in one version
    version = deployment.history.latest()
    assert version.history_user == admin_user and version.approved_by == admin_user
    assert version.history_change_reason.startswith("Changed in the admin: ")
    assert "Summary" in version.history_change_reason
    assert sorted(version.relations["sources"]) == sorted(sources)
    # The citation's page and quote are part of the same version.
    assert version.relations["pinpoints"] == {
        str(second.pk): {"page": 12, "quote": "the council never voted"}
    }
    change = ChangeRequest.objects.for_record(deployment).get()
    assert (change.action, change.status, change.reviewer) == (
        ChangeAction.UPDATE,
        ChangeStatus.APPROVED,
        admin_user,
    )
    assert change.version == version.history_id


def test_an_admin_save_that_changes_nothing_writes_no_version(admin_client):
    deployment = DeploymentFactory()
    versions = deployment.history.count()
    assert save(admin_client, deployment).status_code == 302
    assert deployment.history.count() == versions
    assert not ChangeRequest.objects.exists()


def test_visibility_and_merges_are_read_only_in_the_admin(admin_client):
    deployment = DeploymentFactory()
    page = admin_client.get(change_url(deployment)).content.decode()
    assert 'name="visibility"' not in page
    response = save(admin_client, deployment, visibility=Visibility.WITHDRAWN, summary="x")
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.visibility == Visibility.PUBLISHED  # the submitted value is ignored
    agency, survivor = AgencyFactory(), AgencyFactory()
    assert 'name="merged_into"' not in admin_client.get(change_url(agency)).content.decode()
    save(admin_client, agency, merged_into=survivor.pk, description="x")
    agency.refresh_from_db()
    assert agency.merged_into is None


def test_the_admin_refuses_to_link_a_published_record_to_a_hidden_one(admin_client):
    deployment = DeploymentFactory()
    agency = deployment.agency
    withdrawn = AgencyFactory(name="Withdrawn Office", visibility=Visibility.WITHDRAWN)
    versions = deployment.history.count()

    response = save(admin_client, deployment, agency=withdrawn.pk)

    assert response.status_code == 200  # the form again, with the reason
    page = response.content.decode()
    assert "This links to records that are not published yet: agency “Withdrawn Office”" in page
    deployment.refresh_from_db()
    assert deployment.agency == agency and deployment.history.count() == versions


def test_the_admin_refuses_to_leave_a_published_record_without_a_published_source(
    admin_client,
):
    deployment = DeploymentFactory()
    pending = SourceFactory(visibility=Visibility.PENDING)
    response = save(
        admin_client,
        deployment,
        **{"citations-0-DELETE": "on"},
        **new_citation(deployment, pending),
    )
    assert response.status_code == 200
    assert "A record needs at least one source before it is published" in (
        response.content.decode()
    )
    assert list(Deployment.objects.get().sources.all()) != [pending]


def test_a_record_added_in_the_admin_has_one_first_version(admin_client, admin_user):
    from apps.sources.models import Source

    url = "/admin/sources/source/add/"
    data = admin_data(
        admin_client,
        url,
        title="Council minutes",
        url="https://records.example.org/minutes",
        kind="records-release",
        publication_date="2019-02-01",
        publication_date_precision="month",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    source = Source.objects.get()
    version = source.history.get()
    assert (version.history_type, version.history_change_reason) == ("+", "Added in the admin")
    assert version.history_user == admin_user
    assert ChangeRequest.objects.for_record(source).get().action == ChangeAction.CREATE


def test_the_admins_history_pages_only_show_versions_they_never_revert(admin_client):
    """django-simple-history's "Revert" page would save an old version with no version of
    its own and bring back its visibility past the publication rules: a withdrawn agency
    published again. Reverting is done on the site, where record_revert checks the rules."""
    agency = AgencyFactory()
    first = agency.history.earliest("history_id")
    agency.visibility = Visibility.WITHDRAWN
    save_version(agency, user=None, summary="Withdrawn")
    url = f"/admin/agencies/agency/{agency.pk}/history/{first.history_id}/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Revert" not in page.content.decode()
    versions = agency.history.count()
    response = admin_client.post(url, {"name": agency.name, "visibility": "published"})
    assert response.status_code == 405
    agency.refresh_from_db()
    assert agency.is_withdrawn
    assert agency.history.count() == versions
