from django.apps import AppConfig


class SearchConfig(AppConfig):
    """/search/: the site-wide search page over the index in apps/records/search.py."""

    name = "apps.search"
    label = "search"
