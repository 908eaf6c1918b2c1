COLUMNS = [
    "id",
    "title",
    "url",
    "publisher",
    "published",
    "kind",
    "archive_url",
    "document",
    "notes",
    "page",
]


def cells(source):
    return {
        "id": source.pk,
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "published": source.published.iso if source.published else None,
        "kind": source.kind,
        "archive_url": source.archive_url,
        "document": source.document_url or None,
        "notes": source.notes,
        "page": source.get_absolute_url(),
    }
