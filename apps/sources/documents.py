"""Uploaded source documents: check that a PDF is one, read its text (off the request, in a
bounded child process), and hand it to readers allowed to see it."""

import logging
import math
import subprocess
import sys
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.text import slugify

from . import text_worker
from .uploads import validate_document

logger = logging.getLogger(__name__)

# The child process that parses the PDF (see text_worker). A list so tests can swap it.
WORKER_COMMAND = [sys.executable, "-m", "apps.sources.text_worker"]


def validate_pdf_signature(document):
    """Named by old migrations; uploads.validate_document now makes every check."""
    validate_document(document)


@dataclass(frozen=True)
class ExtractedText:
    text: str
    complete: bool  # False: cut at a limit (characters, pages, time) or unreadable
    problem: str = ""


def extract_text(data):
    """The text of the PDF bytes `data`, bounded by DOCUMENT_TEXT_TIMEOUT seconds,
    DOCUMENT_TEXT_MAX_CHARS characters and DOCUMENT_TEXT_MAX_PAGES pages. Text read before
    a limit was hit is kept."""
    max_chars = settings.DOCUMENT_TEXT_MAX_CHARS
    command = [
        *WORKER_COMMAND,
        f"--max-pages={settings.DOCUMENT_TEXT_MAX_PAGES}",
        f"--max-chars={max_chars}",
        f"--max-memory-mb={settings.DOCUMENT_TEXT_MAX_MEMORY_MB}",
        f"--max-cpu-seconds={math.ceil(settings.DOCUMENT_TEXT_TIMEOUT) + 1}",
    ]
    with subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as worker:
        try:
            out, err = worker.communicate(data, timeout=settings.DOCUMENT_TEXT_TIMEOUT)
            problem = "" if worker.returncode in (0, text_worker.TRUNCATED) else err
        except subprocess.TimeoutExpired:
            worker.kill()
            out, err = worker.communicate()  # what the worker wrote before it was stopped
            problem = f"stopped after {settings.DOCUMENT_TEXT_TIMEOUT} s"
    if isinstance(problem, bytes):
        problem = problem.decode("utf-8", "replace").strip()[-500:] or "unreadable"
    # A child cut off mid-character leaves a broken UTF-8 sequence; PostgreSQL refuses NUL.
    text = out.decode("utf-8", "replace").replace("\x00", "")[:max_chars].strip()
    return ExtractedText(text=text, complete=worker.returncode == 0, problem=problem)


def download_name(source):
    """A readable file name for the reader's disk; the stored name is random on purpose."""
    return f"{slugify(source.title)[:80].strip('-') or 'document'}.pdf"


def attachment_disposition(source):
    return f"attachment; filename*=utf-8''{quote(download_name(source))}"


# A document is saved, never shown by the browser as part of this site: even a file that
# slipped past the upload checks cannot run a script in the site's origin.
DOCUMENT_CSP = "default-src 'none'; sandbox"


def document_response(source):
    """The source's current document, sent by Django or, in production, by the reverse proxy
    (DOCUMENT_SERVE_MODE), after the caller has checked that the reader may see it: always
    as a download (an attachment) of type application/pdf, never sniffed, in a sandbox."""
    mode = settings.DOCUMENT_SERVE_MODE
    if mode == "redirect":
        return signed_document_redirect(source)
    if mode == "django":
        response = FileResponse(
            source.document.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=download_name(source),
        )
    else:
        response = HttpResponse(content_type="application/pdf")
        response["Content-Disposition"] = attachment_disposition(source)
        if mode == "x-accel-redirect":
            prefix = settings.DOCUMENT_INTERNAL_PREFIX.rstrip("/")
            response["X-Accel-Redirect"] = quote(f"{prefix}/{source.document.name}")
        else:  # "x-sendfile"; the settings refuse any other mode
            response["X-Sendfile"] = source.document.path
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOCUMENT_CSP
    # Not kept by shared caches: a withdrawn or replaced document must stop being served.
    response["Cache-Control"] = "no-cache" if source.is_published else "private, no-store"
    return response


def signed_document_redirect(source):
    """A redirect to a signed, short-lived address of the document in object storage
    (DOCUMENT_SERVE_MODE "redirect"): the bucket sends the bytes, not this server. The
    signature also fixes the type and file name the bucket answers with."""
    url = source.document.storage.url(
        source.document.name,
        parameters={
            "ResponseContentType": "application/pdf",
            "ResponseContentDisposition": attachment_disposition(source),
        },
        expire=settings.DOCUMENT_URL_EXPIRE_SECONDS,
    )
    response = HttpResponseRedirect(url)
    # The address is for this reader and expires: no cache may keep or share it.
    response["Cache-Control"] = "private, no-store"
    return response
