"""The read-replica router (apps/core/db_routing.py): anonymous reads with a safe method go
to the replica, everything else to the primary.

The test settings give the test database a second alias, "replica" (a test mirror of
"default"), and these tests install the router and its middleware as the settings do when
DATABASE_REPLICA_URL is set. The tests run between committed transactions (the seeded
taxonomy restored after each, as tests/editing/test_concurrency.py does): the mirror is a
connection of its own and would not see rows left uncommitted in the default connection."""

import pytest
from django.db import connections, router, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from apps.core import db_routing
from apps.core.db_routing import ReplicaRequestMiddleware
from apps.deployments.models import Deployment
from apps.tips.models import Tip
from tests.factories import DeploymentFactory, UserFactory, technology
from tests.tips.conftest import tip_data  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)

ROUTER = "apps.core.db_routing.ReplicaRouter"
MIDDLEWARE = "apps.core.db_routing.ReplicaRequestMiddleware"


@pytest.fixture
def replica_configured(settings):
    # What config/settings/base.py does with DATABASE_REPLICA_URL (checked in
    # tests/core/test_settings.py); the alias itself is the test settings' mirror.
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]


class Queries:
    """The queries each alias ran inside the block."""

    def __enter__(self):
        self.default = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])
        self.default.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc_info):
        self.replica.__exit__(*exc_info)
        self.default.__exit__(*exc_info)


def test_an_anonymous_list_page_reads_from_the_replica(replica_configured):
    deployment = DeploymentFactory()
    with Queries() as queries:
        response = Client().get("/deployments/")
    assert response.status_code == 200
    assert deployment.agency.name in response.content.decode()
    assert len(queries.replica) > 0
    assert len(queries.default) == 0
    # Once the response is sent, reads outside a request are the primary's again.
    assert router.db_for_read(Deployment) == "default"


def test_an_anonymous_export_streams_from_the_replica(replica_configured):
    # The rows are read while the response is sent, after the middleware has returned.
    deployment = DeploymentFactory()
    with Queries() as queries:
        response = Client().get("/deployments/export.csv")
        body = b"".join(response.streaming_content).decode()
    assert deployment.agency.name in body
    assert len(queries.replica) > 0
    assert len(queries.default) == 0
    assert router.db_for_read(Deployment) == "default"


def test_a_signed_in_user_reads_from_the_primary(replica_configured):
    deployment = DeploymentFactory()
    client = Client()
    client.force_login(UserFactory())
    with Queries() as queries:
        response = client.get("/deployments/")
    assert deployment.agency.name in response.content.decode()
    assert len(queries.replica) == 0
    assert len(queries.default) > 0


def test_a_form_sent_anonymously_reads_and_writes_on_the_primary(
    replica_configured,
    tip_data,  # noqa: F811
):
    tip_data["technology"] = technology("face-recognition").pk
    with Queries() as queries:
        response = Client().post("/submit/", tip_data)
    assert response.status_code == 302
    assert Tip.objects.count() == 1
    assert len(queries.replica) == 0
    assert any("INSERT" in query["sql"] for query in queries.default.captured_queries)


def test_without_a_replica_every_query_is_on_the_primary():
    DeploymentFactory()
    with Queries() as queries:
        assert Client().get("/deployments/").status_code == 200
    assert len(queries.replica) == 0
    assert len(queries.default) > 0


def through_middleware(request, view):
    """What `view` returns when run for `request` behind the middleware, then the end of
    the request as the handler would signal it."""
    try:
        return ReplicaRequestMiddleware(lambda request: view())(request)
    finally:
        db_routing.end_request()


def routing_in_an_anonymous_get(view):
    return through_middleware(RequestFactory().get("/deployments/"), view)


def test_reads_after_a_write_in_the_same_request_stay_on_the_primary(replica_configured):
    def view():
        before = router.db_for_read(Deployment)
        router.db_for_write(Deployment)
        return before, router.db_for_read(Deployment)

    assert routing_in_an_anonymous_get(view) == ("replica", "default")


def test_reads_inside_a_transaction_stay_on_the_primary(replica_configured):
    def view():
        with transaction.atomic():
            return router.db_for_read(Deployment)

    assert routing_in_an_anonymous_get(view) == "default"


def test_a_request_with_a_session_cookie_reads_from_the_primary(replica_configured, settings):
    # A session is how anyone is signed in; deciding from the cookie costs no query.
    def view():
        return router.db_for_read(Deployment)

    request = RequestFactory().get("/deployments/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "anything"
    assert through_middleware(request, view) == "default"
    assert through_middleware(RequestFactory().head("/deployments/"), view) == "replica"
    assert through_middleware(RequestFactory().options("/deployments/"), view) == "replica"


def test_migrations_run_on_the_primary_only(replica_configured):
    assert router.allow_migrate("default", "deployments", model_name="deployment")
    assert not router.allow_migrate("replica", "deployments", model_name="deployment")
