"""The plans and page times of docs/performance.md's "Lists at scale": EXPLAIN ANALYZE of the
deployments list's heaviest queries and the median of 5 page loads of each list.

    PAGE_CACHE=false DATABASE_URL=postgres://…/<a copy of the generated data> \
        .venv/bin/python manage.py shell < scripts/list_plans.py

It only reads. The page size is LIST_PAGE_SIZE (50 by default)."""

import time

from django.conf import settings
from django.db import connection
from django.http import QueryDict
from django.test import Client

from apps.core.pagination import KeysetPaginator, seek
from apps.deployments.selectors import deployment_list

SIZE = settings.LIST_PAGE_SIZE
CASES = {
    "first page": "",
    "sort=status": "sort=status",
    "sort=-updated": "sort=-updated",
    "region+technology+status": "region=MS&technology=video-analytics&status=active",
}


def show(title, queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(f"### {title}\n```\n{plan}\n```\n")


deep_url = None
for title, query in CASES.items():
    result = deployment_list(params=QueryDict(query))
    filterset = result.filterset
    paginator = KeysetPaginator(
        result.queryset, filterset.ordering(), SIZE, filterset.sort_in_effect()
    )
    show(f"{title}: rows", paginator.ordered()[: SIZE + 1])
    if title == "first page":
        row = paginator.ordered()[40000]
        values = [getattr(row, key.name) for key in paginator.keys]
        deep = paginator.ordered().filter(seek(paginator.keys, values))
        show("deep page (row 40,000 on): rows", deep[: SIZE + 1])
        deep_url = "/deployments/?after=" + paginator.cursor(row)
    limit = settings.LIST_EXACT_COUNT_LIMIT
    show(f"{title}: bounded count", result.queryset.order_by().values("pk")[: limit + 1])

client = Client()
urls = [f"/deployments/?{query}" if query else "/deployments/" for query in CASES.values()]
print("| URL | status | median of 5 (ms) |\n|---|---|---|")
for url in [*urls, "/contracts/", "/agencies/", deep_url]:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        times.append((time.perf_counter() - start) * 1000)
    print(f"| `{url}` | {response.status_code} | {sorted(times)[2]:.0f} |")
