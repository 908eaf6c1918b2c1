"""Writes to sources outside the editing forms: reading the text of uploaded documents."""

import logging

from apps.core import page_cache
from apps.records import search

from .documents import extract_text
from .models import Source, TextStatus

logger = logging.getLogger(__name__)


def read_document_text(source):
    """Read the text of `source`'s document (bounded; see documents.extract_text) and store
    it. Returns the new status, or None when the document changed meanwhile (a newer upload
    waits for its own turn).

    The text is stored with update(), not as a new version: it follows from the document,
    which the version that uploaded it already records."""
    name = source.document.name
    try:
        with source.document.open("rb") as document:
            result = extract_text(document.read())
    except OSError as exc:  # the file is missing from MEDIA_ROOT
        logger.warning("Source %s: cannot open %s: %s", source.pk, name, exc)
        result, status = None, TextStatus.FAILED
    else:
        if result.problem:
            logger.warning("Source %s: reading %s: %s", source.pk, name, result.problem)
        if result.complete:
            status = TextStatus.EXTRACTED
        else:
            status = TextStatus.PARTIAL if result.text else TextStatus.FAILED
    updated = Source.objects.filter(
        pk=source.pk, document=name, document_text_status=TextStatus.PENDING
    ).update(document_text=result.text if result else "", document_text_status=status)
    if updated:
        # update() sends no signal: the source's search entry takes the text itself.
        search.refresh(Source, [source.pk])
        page_cache.changed()  # and the source's page shows it
    return status if updated else None


def pending_documents(*, limit=None):
    """Sources whose document waits to be read, oldest first."""
    sources = (
        Source.objects.filter(document_text_status=TextStatus.PENDING)
        .exclude(document="")
        .only("pk", "document")
        .order_by("pk")
    )
    return list(sources[:limit] if limit else sources)


def queue_again(pks):
    """Mark these sources' documents to be read again (after raising a limit, say)."""
    return (
        Source.objects.filter(pk__in=pks)
        .exclude(document="")
        .update(document_text_status=TextStatus.PENDING)
    )
