"""How agencies are found in site-wide search (apps/records/search.py)."""

from apps.records.search import Document, SearchSpec, alias_names


class AgencySearch(SearchSpec):
    prefetch = ("aliases",)

    def document(self, agency):
        return Document(
            name=agency.name,
            url=agency.get_absolute_url(),
            names=[*alias_names(agency), agency.ori, agency.locality],
            text=[agency.get_kind_display(), agency.description],
            country=agency.country,
            region=agency.region,
        )


AGENCY_SEARCH = AgencySearch()


def agency_names(agency):
    """An agency's name and aliases, which the documents of its records carry."""
    return [agency.name, *alias_names(agency)] if agency else []
