import pytest
from django.test import Client
from django.utils.timezone import now

from apps.core.models import Visibility
from apps.records import services
from apps.records.models import ChangeRequest
from tests.factories import DeploymentFactory, TipFactory

pytestmark = pytest.mark.django_db


def log_change(record, author, **extra):
    return ChangeRequest.objects.create(
        record=record, action="update", author=author, summary="Fixed the date", **extra
    )


def test_recent_changes_lists_published_changes_with_public_names(
    reviewer, volunteer, django_assert_num_queries
):
    shown = DeploymentFactory()
    hidden = DeploymentFactory(visibility=Visibility.WITHDRAWN)
    for record in (shown, hidden, DeploymentFactory()):
        log_change(record, volunteer, status="approved", reviewer=reviewer, reviewed_at=now())
    Client().get("/changes/")  # content types are looked up once per process, then cached
    # the count, the page of changes with authors and reviewers, their records (one per kind)
    with django_assert_num_queries(3):
        response = Client().get("/changes/")
    content = response.content.decode()
    assert shown.get_absolute_url() in content
    assert hidden.get_absolute_url() not in content
    assert "Vera Volunteer" in content and "Rita Reviewer" in content
    assert volunteer.email not in content


def test_my_contributions_groups_by_status_with_reasons(volunteer_client, volunteer, reviewer):
    pending = log_change(DeploymentFactory(), volunteer)
    rejected = log_change(DeploymentFactory(), volunteer)
    services.change_reject(change=rejected, reviewer=reviewer, reason="Wrong county")
    response = volunteer_client.get("/contributions/")
    grouped = response.context["grouped"]
    assert grouped["pending"] == [pending] and grouped["rejected"] == [rejected]
    assert "Wrong county" in response.content.decode()


def test_reviewers_see_the_queue_count_in_the_navigation(reviewer_client, volunteer):
    log_change(DeploymentFactory(), volunteer)
    TipFactory()
    content = reviewer_client.get("/").content.decode()
    assert 'Review queue <span class="badge">2</span>' in content


def test_volunteers_see_no_queue_link(volunteer_client):
    content = volunteer_client.get("/").content.decode()
    assert "Review queue" not in content and "My contributions" in content


def test_anonymous_visitors_see_login_and_tip_links(client):
    content = client.get("/").content.decode()
    assert 'href="/accounts/login/?next=/"' in content and 'href="/submit/"' in content


@pytest.mark.parametrize("page", ["²", "x", "0", "1.0"])
def test_recent_changes_refuses_a_page_that_is_not_a_number(page, reviewer, volunteer):
    log_change(
        DeploymentFactory(), volunteer, status="approved", reviewer=reviewer, reviewed_at=now()
    )
    response = Client().get("/changes/", {"page": page})
    assert response.status_code == 400
    content = response.content.decode()
    assert "<code>page</code>" in content and "is not a page number" in content
    assert "Fixed the date" not in content


def test_recent_changes_past_the_last_page_is_404(reviewer, volunteer):
    log_change(
        DeploymentFactory(), volunteer, status="approved", reviewer=reviewer, reviewed_at=now()
    )
    assert Client().get("/changes/", {"page": "2"}).status_code == 404
    assert Client().get("/changes/", {"page": "1"}).status_code == 200


def test_recent_changes_says_it_does_not_search(reviewer, volunteer):
    log_change(
        DeploymentFactory(), volunteer, status="approved", reviewer=reviewer, reviewed_at=now()
    )
    response = Client().get("/changes/", {"q": "zzzz"})
    assert response.status_code == 200
    assert "Not a filter of this list, so not applied: <code>q</code>." in (
        response.content.decode()
    )
    assert "Not a filter" not in Client().get("/changes/").content.decode()
