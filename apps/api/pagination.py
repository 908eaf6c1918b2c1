import re

from django.conf import settings
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.pagination import CursorPagination

# A position is a primary key: digits (DRF takes any text, which the id filter would then
# refuse with a server error).
POSITION = re.compile(r"[0-9]{1,18}")


class RecordCursorPagination(CursorPagination):
    """Pages of records in the order they were added (primary key: unique, never changes,
    and its index serves both the order and the `WHERE id > last` of the next page), so a
    client walking `next` sees every record exactly once, however deep it goes, even while
    records are being published. A list's `sort` does not apply: it is refused (400)."""

    ordering = "pk"
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        self.page_size = settings.API_PAGE_SIZE
        return super().get_page_size(request)

    invalid_cursor_message = (
        "Invalid cursor: a cursor is only valid as the `next` or `previous` address of a page "
        "gives it; start again from the first page (no cursor)."
    )

    def decode_cursor(self, request):
        # DRF answers a cursor it cannot read with a 404, as if the list were gone; it is a
        # bad parameter (400), like any other.
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:
            raise ParseError(self.invalid_cursor_message) from exc
        position = cursor.position if cursor is not None else None
        if position is not None and not POSITION.fullmatch(position):
            raise ParseError(self.invalid_cursor_message)
        return cursor
