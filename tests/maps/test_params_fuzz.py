"""Property: no query string makes the map page or its GeoJSON fail with a server error
(the deployments list's own property, tests/core/test_list_params_fuzz.py, with its
strategy and records)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.records.registry import get_kind
from tests.core.test_list_params_fuzz import (  # noqa: F401 (registry: a fixture)
    FUZZ_SETTINGS,
    query_strategy,
    registry,
)

pytestmark = pytest.mark.django_db


def test_no_query_string_causes_a_server_error(client, registry):  # noqa: F811
    @FUZZ_SETTINGS
    @given(
        query=query_strategy(get_kind("deployments").filterset_class),
        url=st.sampled_from(["/map/", "/map/agencies.geojson"]),
    )
    def check(query, url):
        assert client.get(url, query).status_code < 500, (url, query)

    check()
