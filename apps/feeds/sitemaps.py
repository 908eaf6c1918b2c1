"""sitemap.xml (django.contrib.sitemaps): every published record of every kind in the
registry, and the list pages. A sitemap index at /sitemap.xml points at one section per
kind, each paginated at the protocol's 50,000 addresses; nothing pending or withdrawn is
in any of them (withdrawn includes the duplicates merged into another record)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from apps.records.registry import all_kinds
from apps.regions.selectors import region_list, region_url

from .entries import published


class KindSitemap(Sitemap):
    """The published records of one kind, by primary key (stable pages)."""

    def __init__(self, kind):
        self.kind = kind

    def items(self):
        # Only what get_absolute_url and lastmod read: a kind addressed by number needs no
        # related record.
        fields = ["pk", "updated_at"] + (["slug"] if self.kind.lookup == "slug" else [])
        return published(self.kind).only(*fields).order_by("pk")

    def lastmod(self, record):
        return record.updated_at

    def get_latest_lastmod(self):
        # The index's date for the section, in one query: Django's default would read every
        # record of the kind to take the latest.
        return published(self.kind).aggregate(latest=Max("updated_at"))["latest"]


class ListSitemap(Sitemap):
    """The home page, each kind's public list, the recent changes, the map, the regions and
    the data set's page."""

    def items(self):
        names = ["home:home"]
        names += [kind.list_url_name for kind in all_kinds() if kind.list_selector]
        return [*names, "editing:recent_changes", "maps:map", "regions:list", "opendata:page"]

    def location(self, name):
        return reverse(name)


class RegionSitemap(Sitemap):
    """Each region with published agencies (its page: /regions/US/OR/)."""

    def items(self):
        return [row.region for row in region_list()]

    def location(self, region):
        return region_url(region)


def sitemaps():
    sections = {"lists": ListSitemap(), "regions": RegionSitemap()}
    sections.update({kind.key: KindSitemap(kind) for kind in all_kinds()})
    return sections
