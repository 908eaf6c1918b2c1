import functools

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose transaction counts as committed: its on-commit callbacks run (the test
    database is one transaction that never commits)."""
    return functools.partial(django_capture_on_commit_callbacks, execute=True)
