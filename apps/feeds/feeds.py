"""Atom feeds of newly published and changed records (django.contrib.syndication): the
whole registry, an agency, a vendor, a technology, a region. Entries are versions from the
public history (entries.py); an unknown or unpublished subject is a 404."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.http.request import split_domain_port
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from apps.core.models import region_name, validate_region
from apps.records.registry import get_kind

from . import entries

# The profiles (agencies, vendors) have feeds of their own: an agency's record does not
# change when it buys another technology, so it is not an entry of the technology's feed.
PROFILE_KINDS = ("agencies", "vendors")


class ChangesFeed(Feed):
    """The site-wide feed; subclasses narrow its scope."""

    feed_type = Atom1Feed
    item_guid_is_permalink = False

    def get_object(self, request, **kwargs):
        scope = self.scope(**kwargs)
        if scope is None:
            raise Http404("No published record has this address.")
        # Entries' summaries link the record and its history with full addresses.
        scope.absolute = request.build_absolute_uri
        scope.host = split_domain_port(request.get_host())[0] or "localhost"
        scope.feed_url = request.path
        return scope

    def scope(self):
        return entries.site_scope(
            title=f"{settings.SITE_NAME}: recent changes",
            link=reverse("editing:recent_changes"),
            description="Records newly published or changed in the registry, newest first.",
        )

    def title(self, scope):
        return scope.title

    def link(self, scope):
        return scope.link

    def subtitle(self, scope):
        return scope.description

    def feed_guid(self, scope):
        # The feed's own address: the agency feed and the agency page share `link`.
        return scope.absolute(scope.feed_url)

    def author_name(self, scope):
        return settings.SITE_NAME

    def items(self, scope):
        found = entries.feed_entries(scope)
        for entry in found:
            entry.host = scope.host
            entry.record_url = scope.absolute(entry.record.get_absolute_url())
            history_url = entry.history_url
            entry.diff_url = scope.absolute(history_url) if history_url else None
        return found

    def item_title(self, entry):
        return f"{entry.kind.noun[:1].upper()}{entry.kind.noun[1:]} {entry.action}: {entry.record}"

    def item_link(self, entry):
        return entry.record.get_absolute_url()

    def item_guid(self, entry):
        # A tag URI (RFC 4151) naming the version: stable when the record is renamed.
        day = entry.version.history_date.date().isoformat()
        version = entry.version
        return f"tag:{entry.host},{day}:{entry.kind.key}/{version.id}/version/{version.history_id}"

    def item_description(self, entry):
        return render_to_string("feeds/entry.html", {"entry": entry})

    def item_pubdate(self, entry):
        return entry.version.history_date

    def item_updateddate(self, entry):
        return entry.version.history_date

    def item_author_name(self, entry):
        return entry.author or None

    def item_categories(self, entry):
        return [str(entry.kind.plural)]


class SubjectFeed(ChangesFeed):
    """The feed of one agency, vendor or technology: the record itself and the records its
    list filters select (`/deployments/?agency=<slug>`...)."""

    kind_key = ""
    param = ""
    alternatives = ()

    def scope(self, slug):
        kind = get_kind(self.kind_key)
        try:
            record = kind.get(slug, entries.published(kind))
        except (ObjectDoesNotExist, ValueError):
            return None
        return entries.filtered_scope(
            title=f"{settings.SITE_NAME}: changes about {record}",
            link=record.get_absolute_url(),
            description=f"Records about {record} newly published or changed, newest first.",
            params=dict.fromkeys((self.param, *self.alternatives), record.slug),
            kinds=entries.kinds_filtered_by(
                self.param, alternatives=self.alternatives, skip=(self.kind_key, *PROFILE_KINDS)
            ),
            subject=(kind, record),
        )


class AgencyFeed(SubjectFeed):
    kind_key = "agencies"
    param = "agency"


class VendorFeed(SubjectFeed):
    kind_key = "vendors"
    param = "vendor"
    # NDAs name the vendor as their counterparty (a vendor's slug is looked up first).
    alternatives = ("counterparty",)


class TechnologyFeed(SubjectFeed):
    kind_key = "technologies"
    param = "technology"


class RegionFeed(ChangesFeed):
    """A region's records: every kind whose list filters by `country` and `region`."""

    def scope(self, country, region):
        country, region = country.upper(), region.upper()
        if not (country.isalpha() and len(country) == 2 and region.isalnum()):
            return None
        try:
            validate_region(country, region)
        except ValidationError:
            return None
        name = region_name(country, region)
        return entries.filtered_scope(
            title=f"{settings.SITE_NAME}: changes in {name} ({country})",
            link=f"{reverse('deployments:list')}?country={country}&region={region}",
            description=f"Records in {name} newly published or changed, newest first.",
            params={"country": country, "region": region},
            kinds=entries.kinds_filtered_by("country", "region"),
        )
