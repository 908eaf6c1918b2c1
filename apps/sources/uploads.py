"""The one check every uploaded source document goes through (the source form, a record
form's "Add a new source", the Django admin: all validate the Source.document field), before
anything is stored.

A document must be a plain PDF: `%PDF-` at its first byte; not a web page, SVG, XML or
script, whatever its name; not at the same time a ZIP archive, nor with a web page after
its end (polyglots); and, read by pypdf in a bounded child process (pdf_check), without
JavaScript, launch actions, embedded files or a password, and with no stream that inflates
past a limit (a decompression bomb). A refusal names the reason, as a form error.
"""

import json
import logging
import math
import re
import subprocess
import sys
import zipfile
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import pdf_check

logger = logging.getLogger(__name__)

# The child process that reads the PDF's structure. A list so tests can swap it.
CHECK_COMMAND = [sys.executable, "-m", "apps.sources.pdf_check"]

PDF_SIGNATURE = b"%PDF-"
HEAD_BYTES = 1024
BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# Tags a browser that sniffs content treats as a web page or image with scripts. None is
# made of hexadecimal digits only, so none reads a PDF hex string such as <ab12>.
MARKUP = re.compile(
    rb"<(\?xml|!doctype|!--|html|head|body|script|iframe|svg|img|object|embed|meta"
    rb"|style|title|div|table|form|a\s+href|xml|xsl)",
    re.IGNORECASE,
)
# A ZIP local file header: the start of a ZIP (or JAR, or Office file) member.
ZIP_LOCAL_HEADER = b"PK\x03\x04"

MARKUP_FILE = _(
    "The file is a web page, SVG image, XML file or script, not a PDF, whatever its name "
    "says. Upload the document itself, as a PDF."
)
NOT_PDF = _("The document is not a PDF file: a PDF begins with “%PDF-”.")
PROBLEMS = {
    pdf_check.JAVASCRIPT: _(
        "The PDF contains JavaScript (%(detail)s), which could run in a reader's PDF viewer. "
        "Save or print it to a new PDF without scripts and upload that."
    ),
    pdf_check.LAUNCH: _(
        "The PDF contains %(detail)s. Save or print it to a new PDF and upload that."
    ),
    pdf_check.EMBEDDED: _(
        "The PDF carries %(detail)s. Upload each document on its own, as a plain PDF."
    ),
    pdf_check.ENCRYPTED: _("The PDF is encrypted: %(detail)s. Upload a copy without a password."),
    pdf_check.UNREADABLE: _(
        "The PDF could not be read: it is damaged, or not really a PDF (%(detail)s)."
    ),
    pdf_check.BOMB: _(
        "The PDF is refused: it holds %(detail)s, more than a document needs (a "
        "decompression bomb)."
    ),
    pdf_check.TOO_COMPLEX: _("The PDF is refused: it has %(detail)s."),
}


def validate_document(document):
    """Refuse an upload that is not a plain, script-free PDF, naming why. A file already
    stored (an edit that keeps the current document) was checked when it came, and is not
    read again."""
    if getattr(document, "_committed", False):
        return
    FileExtensionValidator(["pdf"])(document)
    if not document.size:
        raise ValidationError(gettext("The file is empty."))
    validate_document_size(document)
    data = _read(document)
    check_bytes(data)
    problem = _structure_problem(data)
    if problem is not None:
        code, detail = problem
        raise ValidationError(PROBLEMS[code] % {"detail": detail})


def validate_document_size(document):
    if document.size > settings.SOURCE_DOCUMENT_MAX_BYTES:
        limit_mb = settings.SOURCE_DOCUMENT_MAX_BYTES // (1024 * 1024)
        raise ValidationError(
            gettext("The document is larger than %(limit)s MB.") % {"limit": limit_mb}
        )


def _read(document):
    position = document.tell() if hasattr(document, "tell") else 0
    document.seek(0)
    data = document.read()
    document.seek(position)
    return data


def check_bytes(data):
    """What can be told from the bytes alone: the signature, markup, polyglots."""
    head = data[:HEAD_BYTES]
    start = head.lstrip(b" \t\r\n\f\x00")
    for mark in BYTE_ORDER_MARKS:
        if start.startswith(mark):
            start = start[len(mark) :].lstrip(b" \t\r\n\f\x00")
    if start.startswith(b"<"):
        raise ValidationError(MARKUP_FILE)
    if not data.startswith(PDF_SIGNATURE):
        raise ValidationError(NOT_PDF)
    if ZIP_LOCAL_HEADER in outside_streams(data) or zipfile.is_zipfile(BytesIO(data)):
        raise ValidationError(
            gettext(
                "The file is both a PDF and a ZIP archive (a polyglot), so it could be opened "
                "as either. Upload a plain PDF, e.g. printed or saved again from a PDF reader."
            )
        )
    end = data.rfind(b"%%EOF")
    if end != -1 and MARKUP.search(data[end:].replace(b"\x00", b"")):
        raise ValidationError(
            gettext(
                "The file has a web page or script after the end of the PDF (a polyglot). "
                "Upload a plain PDF, e.g. printed or saved again from a PDF reader."
            )
        )
    if MARKUP.search(head.replace(b"\x00", b"")):  # what a sniffing browser would render
        raise ValidationError(MARKUP_FILE)


def outside_streams(data):
    """`data` without what lies between each `stream` and `endstream`: compressed data, in
    which any 4 bytes (a ZIP header) occur by chance. One pass, whatever the file holds."""
    parts, position = [], 0
    while (start := data.find(b"stream", position)) != -1:
        end = data.find(b"endstream", start + len(b"stream"))
        if end == -1:
            break
        parts.append(data[position:start])
        position = end + len(b"endstream")
    parts.append(data[position:])
    return b"".join(parts)


def _structure_problem(data):
    """(code, detail) from the child that reads the PDF with pypdf, or None."""
    timeout = settings.SOURCE_DOCUMENT_CHECK_TIMEOUT
    command = [
        *CHECK_COMMAND,
        f"--max-stream-bytes={settings.SOURCE_DOCUMENT_MAX_STREAM_BYTES}",
        f"--max-total-bytes={settings.SOURCE_DOCUMENT_MAX_INFLATED_BYTES}",
        "--max-objects=200000",
        f"--max-memory-mb={settings.DOCUMENT_TEXT_MAX_MEMORY_MB}",
        f"--max-cpu-seconds={math.ceil(timeout) + 1}",
    ]
    try:
        result = subprocess.run(
            command,
            cwd=settings.BASE_DIR,
            input=data,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return pdf_check.TOO_COMPLEX, f"more work than can be checked in {timeout:g} seconds"
    try:
        verdict = json.loads(result.stdout.decode("utf-8", "replace").strip().splitlines()[-1])
    except (IndexError, ValueError):  # killed at the memory or CPU limit, or a crash
        logger.warning(
            "PDF check stopped (exit status %s): %s",
            result.returncode,
            result.stderr.decode("utf-8", "replace")[-500:],
        )
        return pdf_check.TOO_COMPLEX, "more work than the checker's memory or time allows"
    return (verdict["problem"], verdict["detail"]) if verdict["problem"] else None
