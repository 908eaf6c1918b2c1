"""Who may open each URL of each kind, for every kind in the registry: the public pages
(list, record, CSV and JSON exports) and, for kinds edited on the site, the editing pages
(new, edit, history, revert, withdraw, restore, and merge for kinds whose duplicates are
merged). A kind registered without a factory here fails the suite, so a new kind cannot
arrive with no permission test."""

import pytest
from django.urls import reverse

from apps.records.registry import all_kinds
from tests.factories import KIND_FACTORIES, sign_in

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "volunteer", "reviewer", "admin"]

LOGIN = "login"  # a redirect to the sign-in page
PUBLIC = dict.fromkeys(ROLES, 200)
EDITORS = {"anonymous": LOGIN, "volunteer": 200, "reviewer": 200, "admin": 200}
REVIEWERS = {"anonymous": LOGIN, "volunteer": 403, "reviewer": 200, "admin": 200}
# Withdraw and restore are POST-only; done, they send the reviewer back to the history.
REVIEWERS_ACT = {**REVIEWERS, "reviewer": 302, "admin": 302}
WITHDRAWN_FOR = {**PUBLIC, "reviewer": 404, "admin": 404}


def test_every_registered_kind_has_a_factory():
    assert set(KIND_FACTORIES) == {kind.key for kind in all_kinds()}


def requests_for(kind, record):
    """[(method, URL, data, outcomes by role)] for every URL of `kind` about `record`, the
    state-changing ones last (withdraw, then restore)."""
    key = record.slug if kind.lookup == "slug" else record.pk
    requests = [
        ("get", reverse(kind.list_url_name), None, PUBLIC),
        ("get", record.get_absolute_url(), None, PUBLIC),
    ]
    if kind.export:
        for fmt in ("csv", "json"):
            requests.append(("get", reverse(f"{kind.key}:export", args=[fmt]), None, PUBLIC))
    if kind.editable:
        page = {"kind": kind.key, "key": key}
        requests += [
            ("get", reverse("editing:create", kwargs={"kind": kind.key}), None, EDITORS),
            ("get", reverse("editing:edit", kwargs=page), None, EDITORS),
            # The history is public: anyone may see how a public record changed.
            ("get", reverse("editing:history", kwargs=page), None, PUBLIC),
            ("get", reverse("editing:revert", kwargs=page) + "?version=1", None, REVIEWERS),
        ]
        if kind.mergeable:
            requests.append(("get", reverse("editing:merge", kwargs=page), None, REVIEWERS))
        reason = {"reason": "Checking permissions"}
        requests += [
            ("post", reverse("editing:withdraw", kwargs=page), reason, REVIEWERS_ACT),
            # Withdrawn by a reviewer only: gone from the public site until restored.
            ("get", record.get_absolute_url(), None, WITHDRAWN_FOR),
            ("post", reverse("editing:restore", kwargs=page), reason, REVIEWERS_ACT),
        ]
    return requests


@pytest.fixture
def client_as(request, client, admin_user):
    def client_for(role):
        if role == "admin":
            sign_in(client, admin_user)
            return client
        return request.getfixturevalue(f"{role}_client") if role != "anonymous" else client

    return client_for


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", all_kinds(), ids=lambda kind: kind.key)
def test_who_may_open_each_url_of_each_kind(client_as, role, kind):
    record = KIND_FACTORIES[kind.key]()
    client = client_as(role)
    for method, url, data, outcomes in requests_for(kind, record):
        response = getattr(client, method)(url, data)
        expected = outcomes[role]
        if expected == LOGIN:
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith("/accounts/login/"), (method, url)
        else:
            assert response.status_code == expected, (method, url, response.content[:300])
    record.refresh_from_db()
    if kind.publishable:  # withdrawn and restored by a reviewer, untouched by anyone else
        assert record.is_published
