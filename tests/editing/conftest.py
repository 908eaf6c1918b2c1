"""Role fixtures live in tests/conftest.py; `member_of` is re-exported for imports."""

from tests.conftest import member_of

__all__ = ["member_of"]
