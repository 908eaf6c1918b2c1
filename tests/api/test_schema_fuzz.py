"""Schemathesis against the API's own OpenAPI schema: for every operation it documents,
requests generated from the schema (valid and invalid parameters) never get a server error,
and every answer conforms to the schema: a documented status code, the documented content
type and a body that validates against the documented response schema.

The schema is drf-spectacular's, built in-process, and the requests go to the Django WSGI
application: no network, and the test's database (a few published records of every kind,
so that lists and detail pages answer with real records)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.core.test_list_params_fuzz import registry  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(
    SchemaGenerator(patterns=None).get_schema(request=None, public=True)
)
schema.app = get_wsgi_application()

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_tests_connection():
    """The WSGI handler closes "old" database connections as each request starts and ends,
    and a connection inside the test's transaction looks old (not in autocommit): on
    PostgreSQL it would be closed under the test. Django's test client stops that the same
    way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    # A few dozen requests per operation: every operation in about two minutes in all on a
    # slow machine. database=None: Hypothesis keeps no example database in the tree.
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_its_schema_says(case, registry):  # noqa: F811
    case.call_and_validate(checks=CHECKS)
