"""Every sort the keyset lists offer is one an index holds: PostgreSQL can read a page in
that order from an index, first or far down, without sorting the selection. The test data is
tiny, so the planner is told to avoid sorts and sequential scans where it can; a sort that no
index holds still shows a Sort node over the table, which the test refuses."""

import pytest
from django.conf import settings
from django.db import connection
from django.http import QueryDict

from apps.agencies.selectors import agency_list
from apps.contracts.selectors import contract_list
from apps.core.pagination import KeysetPaginator
from apps.deployments.selectors import deployment_list
from tests.factories import ContractFactory, DeploymentFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]

# Sorts by the name of a joined record: no index of the list's table holds its order.
BY_A_JOINED_NAME = {
    ("deployments", "agency"),
    ("deployments", "-agency"),
    ("deployments", "technology"),
    ("contracts", "agency"),
    ("contracts", "vendor"),
}
LISTS = {"deployments": deployment_list, "contracts": contract_list, "agencies": agency_list}


def sort_keys(selector):
    filterset = selector(params=QueryDict()).filterset
    return list(filterset.sort_options)


def first_page_plan(selector, sort):
    result = selector(params=QueryDict(f"sort={sort}"))
    filterset = result.filterset
    paginator = KeysetPaginator(
        result.queryset, filterset.ordering(), settings.LIST_PAGE_SIZE, filterset.sort_in_effect()
    )
    sql, params = paginator.ordered()[: settings.LIST_PAGE_SIZE + 1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN (COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("name", "sort"),
    [(name, sort) for name, selector in LISTS.items() for sort in sort_keys(selector)],
)
def test_each_offered_sort_is_read_from_an_index(name, sort):
    DeploymentFactory.create_batch(3)
    ContractFactory.create_batch(3)
    plan = first_page_plan(LISTS[name], sort)
    # Never the whole selection sorted.
    assert "->  Sort" not in plan, plan
    if (name, sort) in BY_A_JOINED_NAME:
        # In the order of the other table's name index; the rows of one agency (vendor,
        # technology) are put in order of id as they come, a group at a time.
        assert "Presorted Key" in plan, plan
    else:
        assert "Sort" not in plan and "_list_" in plan, plan
