"""The OpenAPI schema is valid and describes every list's filters; the docs page is served
from this site's own static files."""

import re

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

from apps.records.registry import all_kinds

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_a_valid_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_the_schema_builds_without_a_warning_and_passes_drf_spectaculars_validation(tmp_path):
    # --fail-on-warn: a view whose parameters or responses drf-spectacular had to guess
    # (an untyped path parameter, an unknown response) fails here.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")
    assert "/api/v1/deployments/" in (tmp_path / "s.yaml").read_text()


def test_every_list_and_detail_is_described(schema):
    for kind in all_kinds():
        if kind.list_selector:
            assert "get" in schema["paths"][f"/api/v1/{kind.key}/"]
            assert "get" in schema["paths"][f"/api/v1/{kind.key}/{{key}}/"]
            assert set(schema["paths"][f"/api/v1/{kind.key}/"]) == {"get"}  # read-only


@pytest.mark.parametrize("kind", [k for k in all_kinds() if k.filterset], ids=lambda k: k.key)
def test_each_lists_filters_are_its_query_parameters(schema, kind):
    operation = schema["paths"][f"/api/v1/{kind.key}/"]["get"]
    names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    filters = set(kind.filterset_class.base_filters) - {"sort"}
    assert names == filters | {"cursor", "page_size"}
    assert {"200", "400", "429"} <= set(operation["responses"])


def test_a_developer_can_page_through_a_states_deployments_from_the_schema(schema):
    parameters = {
        p["name"]: p for p in schema["paths"]["/api/v1/deployments/"]["get"]["parameters"]
    }
    region = parameters["region"]
    assert region["schema"] == {"type": "array", "items": {"type": "string"}}
    assert "Oregon" in region["description"]
    assert "cursor" in parameters
    assert "`active` (Active)" in parameters["status"]["description"]
    assert parameters["year"]["schema"]["items"]["type"] == "integer"
    page = schema["paths"]["/api/v1/deployments/"]["get"]["responses"]["200"]
    properties = page["content"]["application/json"]["schema"]["properties"]
    assert {"next", "previous", "results"} <= set(properties)
    assert "follow `next`" in schema["paths"]["/api/v1/deployments/"]["get"]["description"]


def test_the_docs_load_swagger_ui_from_this_sites_static_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "/api/v1/schema/" in html
    # Nothing from another host: every script, style and image is a path on this site.
    for address in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert address.startswith("/"), address
    # No CDN host named anywhere, scripts included (a bare "cdn" could be in the CSRF token).
    assert not re.search(r"\bcdn[\w-]*\.", html.lower())
