"""The page times of docs/performance.md's "Pages at scale": the median of 5 loads (after one
to warm up) of the home page, the busiest agency's and vendor's profiles, the busiest
technology's page, site search and the deployments list's `q`, through Django's test client,
with the number of queries and the time spent in them.

    DATABASE_URL=postgres://…/<a copy of the generated data> \\
        .venv/bin/python manage.py shell < scripts/page_times.py

It reads only, but for one user it creates ("page-times", no group) to load the pages
signed in too: signed-in visitors never get the page cache, and what they see is built each
time, with the counts and charts kept between changes (apps/core/figures.py) when PAGE_CACHE
is on. Run it with PAGE_CACHE=false to see every page built from scratch."""

import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.agencies.models import Agency
from apps.technologies.models import Technology
from apps.vendors.models import Vendor


def busiest(model):
    return model.objects.annotate(n=Count("deployments")).order_by("-n").first()


agency, vendor, technology = busiest(Agency), busiest(Vendor), busiest(Technology)
word = agency.name.split()[0]
urls = [
    "/",
    agency.get_absolute_url(),
    vendor.get_absolute_url(),
    technology.get_absolute_url(),
    f"/search/?q={word}",
    "/search/?q=police",
    f"/deployments/?q={word}",
]
client = Client()
client.force_login(get_user_model().objects.get_or_create(username="page-times")[0])
print(f"PAGE_CACHE={settings.PAGE_CACHE}; busiest agency {agency.name} ({agency.n} deployments),")
print(f"vendor {vendor.name} ({vendor.n}), technology {technology.name} ({technology.n})\n")
print("| URL | status | first load (ms) | median of 5 (ms) | SQL (ms) | queries | KB |")
print("|---|---|---|---|---|---|---|")
for url in urls:
    times = []
    for _ in range(6):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_HOST="localhost")
        times.append((time.perf_counter() - start) * 1000)
    sql = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    print(
        f"| `{url}` | {response.status_code} | {times[0]:.0f} | "
        f"{statistics.median(times[1:]):.0f} | {sql:.0f} | {len(queries)} | "
        f"{len(response.content) // 1024} |"
    )
