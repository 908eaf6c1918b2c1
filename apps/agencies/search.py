"""How agencies are found in site-wide search (apps/records/search.py)."""

from django.conf import settings
from django.utils.translation import override

from apps.records.search import Document, SearchSpec, alias_names


class AgencySearch(SearchSpec):
    prefetch = ("aliases",)

    def document(self, agency):
        # The index is the same whatever the language of the request that saved the record:
        # the kind's label in the site's default language (English).
        with override(settings.LANGUAGE_CODE):
            kind = agency.get_kind_display()
        return Document(
            name=agency.name,
            url=agency.get_absolute_url(),
            names=[*alias_names(agency), agency.ori, agency.locality],
            text=[kind, agency.description],
            country=agency.country,
            region=agency.region,
        )


AGENCY_SEARCH = AgencySearch()


def agency_names(agency):
    """An agency's name and aliases, which the documents of its records carry."""
    return [agency.name, *alias_names(agency)] if agency else []
