"""Uploaded source documents: check that a PDF is one, and pull out its text for search."""

import logging

from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

logger = logging.getLogger(__name__)

# Enough for a large records release; the rest of a huge scan is left out of the text.
MAX_PAGES = 500


def validate_pdf_signature(document):
    """Refuse a file named .pdf that is not a PDF (a renamed executable, an HTML page)."""
    position = document.tell() if hasattr(document, "tell") else 0
    document.seek(0)
    head = document.read(1024)
    document.seek(position)
    if b"%PDF-" not in head:
        raise ValidationError("The document is not a PDF file.")


def extract_text(document):
    """The text of the PDF's pages, or "" when it has none (a scan) or cannot be read."""
    try:
        document.seek(0)
        reader = PdfReader(document)
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
    except (PdfReadError, ValueError, OSError) as exc:
        logger.warning("Could not read the text of %s: %s", getattr(document, "name", "?"), exc)
        return ""
    finally:
        document.seek(0)
    return "\n\n".join(page.strip() for page in pages if page.strip())
