"""A developer opens the API's docs in Chromium: Swagger UI renders from this site's own
static files (no other host is asked for anything) and documents the deployments list with
its filters, and "Try it out" pages through a state's deployments."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.factories import AgencyFactory, DeploymentFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_docs_render_from_vendored_files_and_document_the_deployments_list(page, live_server):
    DeploymentFactory(agency=AgencyFactory(name="Washington County Sheriff's Office", region="OR"))
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page.goto("/api/v1/docs/")
    operation = page.locator("#operations-deployments-deployments_list")
    expect(operation).to_contain_text("/api/v1/deployments/")
    operation.locator(".opblock-summary").click()
    expect(operation.locator("tr[data-param-name='region']")).to_contain_text("Oregon")
    expect(operation.locator("tr[data-param-name='cursor']")).to_be_visible()
    # Try it out: region=OR answers with the Oregon deployment.
    operation.get_by_role("button", name="Try it out").click()
    region = operation.locator("tr[data-param-name='region']")
    region.get_by_role("button", name="Add string item").click()
    region.locator("input").first.fill("OR")
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".responses-wrapper .live-responses-table")).to_contain_text(
        "Washington County Sheriff"
    )
    assert hosts == {urlparse(live_server.url).netloc}
    assert page.js_errors == []
