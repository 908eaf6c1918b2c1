"""Who may see, save and decide, for every editing URL and every role (OpenOversight-style
route-by-role tests): saving, the revert itself, the review queue and account pages. Which
role may open each page of each kind is tests/records/test_permissions_by_kind.py."""

import pytest
from django.test import Client

from apps.records.models import ChangeRequest
from apps.records.registry import editable_kinds, get_kind
from tests.factories import KIND_FACTORIES, DeploymentFactory, UserFactory, member_of, sign_in

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "volunteer", "reviewer", "admin"]


def client_for(role):
    client = Client()
    if role == "volunteer":
        client.force_login(member_of("Volunteers"))
    elif role == "reviewer":
        sign_in(client, member_of("Reviewers"))
    elif role == "admin":
        sign_in(client, UserFactory(is_staff=True, is_superuser=True))
    return client


def record_key(kind_slug):
    kind = get_kind(kind_slug)
    record = KIND_FACTORIES[kind_slug]()
    return record, (record.slug if kind.lookup == "slug" else record.pk)


def assert_outcome(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


# A text field of each kind, changed to give a record a version to revert.
TEXT_FIELDS = ("summary", "description", "scope", "notes", "subject")
EDITORS = {"anonymous": "login", "volunteer": 200, "reviewer": 200, "admin": 200}
REVIEWERS_ONLY = {"anonymous": "login", "volunteer": 403, "reviewer": 200, "admin": 200}
PUBLIC = dict.fromkeys(ROLES, 200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind_slug", [kind.key for kind in editable_kinds()])
def test_who_may_save(role, kind_slug):
    client = client_for(role)
    _record, key = record_key(kind_slug)
    # An empty form: those allowed to save get the form back with its errors (400).
    expected = {"anonymous": "login", "volunteer": 400, "reviewer": 400, "admin": 400}[role]
    assert_outcome(client.post(f"/{kind_slug}/new/", {}), expected)
    assert_outcome(client.post(f"/{kind_slug}/{key}/edit/", {}), expected)
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["withdraw", "restore", "revert"])
@pytest.mark.parametrize("kind_slug", [kind.key for kind in editable_kinds()])
def test_only_reviewers_may_withdraw_restore_or_revert(role, action, kind_slug):
    # Imported here, not above, to leave the module's imports as the apps/records move has them.
    from apps.core.history import save_version
    from apps.core.models import Visibility

    client = client_for(role)
    record, key = record_key(kind_slug)
    text = next(name for name in TEXT_FIELDS if hasattr(record, name))
    if action == "restore":
        record.visibility = Visibility.WITHDRAWN
        save_version(record, user=None, summary="Withdrawn")
    if action == "revert":  # a newer version, so that there is one to go back to
        setattr(record, text, "Changed since")
        save_version(record, user=None, summary="Changed")
    version = record.history.count() - 1  # the one before, as the history page numbers it
    response = client.post(
        f"/{kind_slug}/{key}/{action}/", {"reason": "Checking permissions", "version": version}
    )
    expected = {"anonymous": "login", "volunteer": 403, "reviewer": 302, "admin": 302}[role]
    assert_outcome(response, expected)
    done = expected == 302
    record.refresh_from_db()
    if action == "revert":
        assert (getattr(record, text) != "Changed since") == done
    else:
        assert record.is_withdrawn == (done if action == "withdraw" else not done)
    if action == "revert":  # its confirmation page, for reviewers only
        page = client.get(f"/{kind_slug}/{key}/revert/?version={version}")
        assert_outcome(page, REVIEWERS_ONLY[role])
    else:
        assert client.get(f"/{kind_slug}/{key}/{action}/").status_code in {302, 403, 405}


@pytest.fixture
def pending_change():
    author = member_of("Volunteers", username="author")
    deployment = DeploymentFactory()
    return ChangeRequest.objects.create(
        record=deployment, action="update", author=author, summary="x", payload={}
    )


@pytest.mark.parametrize("role", ROLES)
def test_review_queue_and_decisions_are_for_reviewers(role, pending_change):
    client = client_for(role)
    assert_outcome(client.get("/review/"), REVIEWERS_ONLY[role])
    decided = {"anonymous": "login", "volunteer": 403, "reviewer": 302, "admin": 302}[role]
    assert_outcome(client.post(f"/changes/{pending_change.pk}/reject/", {"reason": "No"}), decided)
    pending_change.refresh_from_db()
    assert pending_change.status == ("rejected" if decided == 302 else "pending")
    assert_outcome(client.post(f"/changes/{pending_change.pk}/approve/"), decided)
    # A decided change stays as it was decided; nobody else decides it.
    pending_change.refresh_from_db()
    assert pending_change.status == ("rejected" if decided == 302 else "pending")


@pytest.mark.parametrize("role", ROLES)
def test_a_pending_change_is_seen_by_its_author_and_reviewers_only(role, pending_change):
    client = client_for(role)
    expected = {"anonymous": "login", "volunteer": 404, "reviewer": 200, "admin": 200}[role]
    assert_outcome(client.get(pending_change.get_absolute_url()), expected)
    author = Client()
    sign_in(author, pending_change.author)
    assert author.get(pending_change.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("url", "outcomes"),
    [
        ("/contributions/", EDITORS),
        ("/changes/", PUBLIC),
        ("/autocomplete/agencies/?q=ex", EDITORS),
        ("/accounts/invitations/", REVIEWERS_ONLY),
        ("/submit/review/", REVIEWERS_ONLY),
        ("/submit/", PUBLIC),
    ],
)
def test_account_and_queue_pages_by_role(role, url, outcomes):
    assert_outcome(client_for(role).get(url), outcomes[role])
