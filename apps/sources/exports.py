"""How sources are exported: one CSV row and one JSON object per source. `url` is the
source's page on this site, like every list's; `source_url` is where it is published."""

from apps.core.exports import RecordExport, partial_date_json

COLUMNS = [
    "id",
    "url",
    "title",
    "source_url",
    "publisher",
    "published",
    "kind",
    "archive_url",
    "document",
    "notes",
]


class SourceExport(RecordExport):
    columns = COLUMNS

    def cells(self, source):
        return {
            "id": source.pk,
            "url": self.url(source),
            "title": source.title,
            "source_url": source.url,
            "publisher": source.publisher,
            "published": source.publication,
            "kind": source.kind,
            "archive_url": source.archive_url,
            "document": self.request.build_absolute_uri(source.document_url)
            if source.document
            else None,
            "notes": source.notes,
        }

    def json(self, source):
        return {**self.cells(source), "published": partial_date_json(source.publication)}
