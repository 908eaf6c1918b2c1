"""How sources are found in site-wide search (apps/records/search.py): title, publisher,
notes, address and the text read from an uploaded document."""

from apps.records.search import Document, SearchSpec


class SourceSearch(SearchSpec):
    def document(self, source):
        return Document(
            name=source.title,
            url=source.get_absolute_url(),
            names=[source.publisher],
            text=[source.notes, source.url, source.document_text],
        )


SOURCE_SEARCH = SourceSearch()
