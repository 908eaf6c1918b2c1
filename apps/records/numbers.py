import re

# A record (or version) number as typed: ASCII digits, at most 18 of them, so that it always
# fits the databases' 64-bit integers (a longer one is no record's: SQLite would overflow).
RECORD_NUMBER_RE = re.compile(r"[0-9]{1,18}")


def record_number(text):
    """The number `text` is ("123" → 123), or None when it cannot be a record's number: not
    plain digits, or too long for the database."""
    text = str(text).strip() if text is not None else ""
    return int(text) if RECORD_NUMBER_RE.fullmatch(text) else None
