"""PDFs written by hand for the tests: no PDF library needed, and hostile ones on purpose."""

import zlib

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text, *, pages=1, repeat=1, compress=False):
    """A PDF of `pages` pages that all draw ONE shared content stream showing `text`
    `repeat` times: the shape of the file that made extraction a denial of service."""
    stream = b"BT /F1 12 Tf 72 720 Td " + b"(%s) Tj " % text.encode() * repeat + b"ET"
    filters = b""
    if compress:  # a small file whose stream expands a hundredfold when read
        stream, filters = zlib.compress(stream, 9), b" /Filter /FlateDecode"
    page_refs = b" ".join(b"%d 0 R" % (5 + n) for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (page_refs, pages),
        b"<< /Length %d%s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ] + [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>"
    ] * pages
    return assemble(objects)


def assemble(objects, *, trailer=b""):
    """A PDF of the object bodies `objects` (numbered from 1, the first the catalog), with
    a correct cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def pdf_with(catalog=b"", page=b"", extra=()):
    """A one-page PDF whose catalog and page dictionaries have the `catalog` and `page`
    entries added, and the objects `extra` after its own four (numbered from 5)."""
    stream = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R %s >>" % catalog,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R %s >>" % page,
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            *extra,
        ]
    )


def stream_object(data, entries=b""):
    return b"<< /Length %d %s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


def upload(content, name="release.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")
