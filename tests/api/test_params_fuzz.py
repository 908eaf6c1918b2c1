"""Property: no query string makes an API list fail with a server error (the lists'
own fuzz test, tests/core/test_list_params_fuzz.py, with the API's paging parameters)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.records.registry import all_kinds
from tests.core import test_list_params_fuzz as lists

pytestmark = pytest.mark.django_db

registry = lists.registry  # the same records, so that filters have rows to match
KINDS = {kind.key: kind.filterset_class for kind in all_kinds() if kind.filterset}


def query_strategy(filterset_class):
    names = [*filterset_class.base_filters, "cursor", "page_size", "sort", "unknown"]
    return st.dictionaries(
        st.sampled_from(names), st.lists(lists.VALUE, min_size=1, max_size=3), max_size=5
    )


@pytest.mark.parametrize("key", list(KINDS))
def test_no_query_string_causes_a_server_error(client, registry, key):
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(query=query_strategy(KINDS[key]))
    def check(query):
        response = client.get(f"/api/v1/{key}/", query)
        assert response.status_code in (200, 400, 404), (query, response.content[:300])
        assert response["Content-Type"] == "application/json"

    check()
