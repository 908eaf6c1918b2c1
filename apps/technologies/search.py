"""How technologies are found in site-wide search (apps/records/search.py)."""

from apps.records.search import Document, SearchSpec


class TechnologySearch(SearchSpec):
    def document(self, technology):
        return Document(
            name=technology.name,
            url=technology.get_absolute_url(),
            text=[technology.description],
        )


TECHNOLOGY_SEARCH = TechnologySearch()
