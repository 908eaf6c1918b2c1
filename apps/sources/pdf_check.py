"""Checks an uploaded PDF's structure: refuses JavaScript, launch actions, embedded files,
a password, an unreadable file, and streams that inflate past a limit (decompression bombs).

Run by `uploads.validate_document` in a child process (`python -m apps.sources.pdf_check`),
like the text worker: the PDF comes on stdin, a hostile file costs at most the parent's
time limit and the memory limit set here, and the request that uploads it cannot hang. It
imports no Django. It writes one JSON line, {"problem": code, "detail": text}, with code
"" for a file that passed.
"""

import io
import json
import sys

from .text_worker import bounded_input

# Codes the parent turns into messages (uploads.PROBLEMS).
JAVASCRIPT = "javascript"
LAUNCH = "launch"
EMBEDDED = "embedded"
ENCRYPTED = "encrypted"
UNREADABLE = "unreadable"
BOMB = "bomb"
TOO_COMPLEX = "too-complex"

# Like Pillow's DecompressionBombError threshold: an image this large is refused whatever
# its compressed size.
MAX_IMAGE_PIXELS = 2 * 89_478_485


def _dictionary_problem(obj):
    """The problem a PDF dictionary carries by itself, as (code, detail), or None."""
    action = obj.get("/S")
    if "/JS" in obj or action == "/JavaScript":
        return JAVASCRIPT, "a JavaScript action"
    if "/JavaScript" in obj:
        return JAVASCRIPT, "document-level JavaScript"
    if "/XFA" in obj:
        return JAVASCRIPT, "an XFA form, which can run scripts"
    if action == "/Launch":
        return LAUNCH, "an action that launches a program or opens a file"
    if "/EmbeddedFiles" in obj or "/EF" in obj or obj.get("/Type") == "/EmbeddedFile":
        return EMBEDDED, "an embedded file"
    if obj.get("/Subtype") == "/FileAttachment":
        return EMBEDDED, "a file attachment annotation"
    return None


def _stream_problem(stream, *, max_stream_bytes, inflated):
    """Decode `stream` (without keeping the result) within the configured limits."""
    from pypdf.errors import LimitReachedError
    from pypdf.filters import decode_stream_data

    if stream.get("/Subtype") == "/Image":
        try:
            pixels = int(stream.get("/Width", 0)) * int(stream.get("/Height", 0))
        except (TypeError, ValueError):
            pixels = 0
        if pixels > MAX_IMAGE_PIXELS:
            return BOMB, f"an image of {pixels:,} pixels"
    try:
        size = len(decode_stream_data(stream))
    except LimitReachedError:
        return BOMB, f"a stream that expands past {max_stream_bytes // 2**20} MB"
    except Exception:  # a filter pypdf cannot decode (say, a JPEG 2000 image): not a bomb
        return None
    inflated[0] += size
    return None


def problem_of(data, *, max_stream_bytes, max_total_bytes, max_objects):
    """(code, detail) of the first problem found in the PDF bytes `data`, or None."""
    from pypdf import PasswordType, PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    limits = {
        "zlib_maximum_output_length": max_stream_bytes,
        "lzw_maximum_output_length": max_stream_bytes,
        "run_length_maximum_output_length": max_stream_bytes,
        "brotli_maximum_output_length": max_stream_bytes,
        "jbig2_maximum_output_length": max_stream_bytes,
        "array_based_stream_maximum_output_length": max_stream_bytes,
        "stream_decoding_work_maximum_length": max_stream_bytes,
        "image_maximum_buffer_size": max_stream_bytes,
        "jbig2dec_binary": None,  # never run an outside decoder on an untrusted file
    }
    with apply_configuration(**limits):
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    if reader.decrypt(b"") == PasswordType.NOT_DECRYPTED:
                        return ENCRYPTED, "it needs a password to open"
                except Exception:  # AES without the cryptography package, an unknown handler
                    return ENCRYPTED, "its encryption cannot be undone here to check it"
            pending, seen, inflated = [reader.trailer], set(), [0]
            while pending:
                obj = pending.pop()
                if isinstance(obj, IndirectObject):
                    key = (obj.idnum, obj.generation)
                    if key in seen:
                        continue
                    seen.add(key)
                    if len(seen) > max_objects:
                        return TOO_COMPLEX, f"more than {max_objects:,} objects"
                    obj = obj.get_object()
                if isinstance(obj, DictionaryObject):
                    problem = _dictionary_problem(obj)
                    if problem is None and isinstance(obj, StreamObject):
                        problem = _stream_problem(
                            obj, max_stream_bytes=max_stream_bytes, inflated=inflated
                        )
                        if problem is None and inflated[0] > max_total_bytes:
                            limit_mb = max_total_bytes // 2**20
                            problem = BOMB, f"streams that expand past {limit_mb} MB in all"
                    if problem is not None:
                        return problem
                    pending.extend(obj.values())
                elif isinstance(obj, ArrayObject):
                    pending.extend(obj)
        except LimitReachedError as exc:
            return BOMB, str(exc)[:200]
        except MemoryError:
            return BOMB, "more memory than allowed"
        except Exception as exc:  # any failure of a parser fed hostile input
            return UNREADABLE, f"{type(exc).__name__}: {exc}"[:200]
    return None


def main(argv=None):
    args, data = bounded_input(
        argv,
        description=__doc__,
        options=("max-stream-bytes", "max-total-bytes", "max-objects"),
    )
    problem = problem_of(
        data,
        max_stream_bytes=args.max_stream_bytes,
        max_total_bytes=args.max_total_bytes,
        max_objects=args.max_objects,
    )
    code, detail = problem or ("", "")
    print(json.dumps({"problem": code, "detail": detail}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
