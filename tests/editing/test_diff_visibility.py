"""Public history diffs never name a record the reader may not see: a pending source cited
and dropped before approval, a withdrawn source, a pending or withdrawn agency or vendor
read as "a record not public". Reviewers see the names."""

import pytest
from django.test import Client

from apps.core.history import save_version
from apps.core.models import Visibility
from tests.factories import (
    AgencyFactory,
    DeploymentFactory,
    SourceFactory,
    VendorFactory,
    member_of,
    sign_in,
)

pytestmark = pytest.mark.django_db

HIDDEN = "Zz Hidden"


@pytest.fixture
def history_with_hidden_links(db):
    """A published deployment whose second version cited a pending and a withdrawn source and
    linked a pending agency and a withdrawn vendor; its third version dropped them all."""
    author = member_of("Volunteers", username="otto")
    deployment = DeploymentFactory()
    save_version(deployment, user=None, summary="Published", first=True)
    agency, vendor = deployment.agency, deployment.vendor
    kept = list(deployment.sources.all())
    pending_source = SourceFactory.build(
        title=f"{HIDDEN} pending source",
        url="https://leak.example.org/pending",
        visibility=Visibility.PENDING,
    )
    save_version(pending_source, user=author, summary="Added", first=True)
    withdrawn_source = SourceFactory(
        title=f"{HIDDEN} withdrawn source",
        url="https://leak.example.org/withdrawn",
        visibility=Visibility.WITHDRAWN,
    )
    pending_agency = AgencyFactory.build(
        name=f"{HIDDEN} pending agency", visibility=Visibility.PENDING
    )
    save_version(pending_agency, user=author, summary="Added", first=True)
    withdrawn_vendor = VendorFactory(
        name=f"{HIDDEN} withdrawn vendor", visibility=Visibility.WITHDRAWN
    )

    deployment.agency, deployment.vendor, deployment.product = (
        pending_agency,
        withdrawn_vendor,
        None,
    )
    new_version(deployment, [*kept, pending_source, withdrawn_source], author, "Cited more")
    deployment.agency, deployment.vendor = agency, vendor
    new_version(deployment, kept, author, "Dropped them")
    # The history page names versions by their number within the record (1 for the first).
    summaries = list(
        deployment.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    versions = [
        summaries.index(summary) + 1 for summary in ("Published", "Cited more", "Dropped them")
    ]
    return deployment, versions, author


def new_version(record, sources, user, summary):
    """One version with these sources, as the editing services save it."""
    record.skip_history_when_saving = True
    record.sources.set(sources)
    del record.skip_history_when_saving
    save_version(record, user=user, summary=summary)


def diff_page(client, deployment, old, new):
    response = client.get(f"/deployments/{deployment.pk}/history/", {"old": old, "new": new})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("pair", [(0, 1), (1, 2), (0, 2)])
def test_the_public_diff_names_no_hidden_record(history_with_hidden_links, pair):
    deployment, versions, _ = history_with_hidden_links
    page = diff_page(Client(), deployment, versions[pair[0]], versions[pair[1]])
    assert HIDDEN not in page
    assert "leak.example.org" not in page
    if pair != (0, 2):  # the first and last versions link the same records
        assert "a record not public" in page


def test_a_volunteer_sees_the_names_of_no_one_elses_hidden_records(
    history_with_hidden_links, volunteer_client
):
    deployment, versions, _ = history_with_hidden_links
    page = diff_page(volunteer_client, deployment, versions[0], versions[1])
    assert HIDDEN not in page
    assert "a record not public" in page


def test_the_author_sees_their_own_pending_records_but_not_withdrawn_ones(
    history_with_hidden_links,
):
    deployment, versions, author = history_with_hidden_links
    client = Client()
    sign_in(client, author)
    page = diff_page(client, deployment, versions[0], versions[1])
    assert f"{HIDDEN} pending source" in page
    assert f"{HIDDEN} pending agency" in page
    assert f"{HIDDEN} withdrawn source" not in page
    assert f"{HIDDEN} withdrawn vendor" not in page


def test_reviewers_see_every_name(history_with_hidden_links, reviewer_client):
    deployment, versions, _ = history_with_hidden_links
    page = diff_page(reviewer_client, deployment, versions[0], versions[1])
    for name in ("pending source", "withdrawn source", "pending agency", "withdrawn vendor"):
        assert f"{HIDDEN} {name}" in page
    assert "a record not public" not in page
