"""Reads a PDF on stdin and writes its text to stdout, page by page, within bounds.

Run by `documents.extract_text` in a child process (`python -m apps.sources.text_worker`), so
that a hostile PDF costs at most the time limit the parent enforces and the memory limit set
here, and can neither hang nor exhaust the worker that feeds it. It imports no Django: the
child starts fast and needs no database.

Exit status: 0 when every page was read, 3 when the text reached --max-chars or --max-pages
and the rest was left out, 1 when the file could not be read. Text already written stays
valid in every case (the parent keeps it).
"""

import argparse
import io
import sys

TRUNCATED = 3
SEPARATOR = "\n\n"


def _limit_resources(*, megabytes, cpu_seconds):
    try:
        import resource
    except ImportError:  # not on Linux/macOS: the parent's time limit still applies
        return
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # Should the parent die before it can stop us, the kernel does.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


def _contents_key(page):
    """Which content streams a page draws: pages that share them have the same text, and a
    crafted file repeats one huge stream on every page to multiply the work."""
    contents = page.raw_get("/Contents") if "/Contents" in page else None
    items = contents if isinstance(contents, list) else [contents]
    refs = [getattr(item, "idnum", None) for item in items]
    if not refs or None in refs:
        return None  # a direct object cannot be shared
    return tuple(refs)


def write_text(data, out, *, max_pages, max_chars):
    """Write the text of the PDF `data` to `out`; return the exit status."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    written, seen = 0, set()
    for number, page in enumerate(reader.pages):
        if number >= max_pages:
            return TRUNCATED
        key = _contents_key(page)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        text = (page.extract_text() or "").strip()
        if not text:
            continue
        if written:
            text = SEPARATOR + text
        remaining = max_chars - written
        out.write(text[:remaining])
        out.flush()  # what is written survives if the parent stops us on the next page
        written += min(len(text), remaining)
        if len(text) >= remaining:
            return TRUNCATED
    return 0


def bounded_input(argv, *, description, options):
    """For a child that reads a PDF: its whole-number `options` (and --max-memory-mb and
    --max-cpu-seconds, applied here) parsed from `argv`, and the bytes on stdin."""
    parser = argparse.ArgumentParser(description=description)
    for name in (*options, "max-memory-mb", "max-cpu-seconds"):
        parser.add_argument(f"--{name}", type=int, required=True)
    args = parser.parse_args(argv)
    _limit_resources(megabytes=args.max_memory_mb, cpu_seconds=args.max_cpu_seconds)
    return args, sys.stdin.buffer.read()


def main(argv=None):
    args, data = bounded_input(argv, description=__doc__, options=("max-pages", "max-chars"))
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", errors="replace")
    try:
        status = write_text(data, out, max_pages=args.max_pages, max_chars=args.max_chars)
    except Exception as exc:  # any failure of a parser fed hostile input: report, keep text
        out.flush()
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    out.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
