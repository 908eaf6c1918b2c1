"""A parameter that is not a filter of the list is named on the page, so a mistyped filter
(`regoin=OR`) never passes for an applied one."""

import pytest

from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "deployments",
    "agencies",
    "vendors",
    "products",
    "contracts",
    "ndas",
    "oversight",
    "sources",
]


@pytest.mark.parametrize("kind", LISTS)
def test_a_mistyped_filter_is_named_as_not_applied(client, kind):
    response = client.get(f"/{kind}/", {"regoin": "OR"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Not a filter of this list, so not applied: <code>regoin</code>" in content


@pytest.mark.parametrize("kind", LISTS)
def test_known_filters_and_the_page_are_not_named(client, kind):
    AgencyFactory()
    response = client.get(f"/{kind}/", {"sort": "", "page": "1"})
    assert "Not a filter of this list" not in response.content.decode()
