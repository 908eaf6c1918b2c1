"""Every URL of the site for every role: anonymous, a volunteer (the author of the pending
records and changes), another volunteer, a reviewer and an admin, by GET and, where the URL
writes, by POST (posted empty where the role is checked first). The table is
tests/security/matrix.py; a URL pattern without an entry there fails here."""

import pytest

from .matrix import ADMIN_LOGIN, LOGIN, MATRIX, url_conf_patterns
from .world import ROLES

# (URL name, case label, role): why the outcome is not the table's yet. Each is a known
# defect, reported; strict, so a fix makes the suite say the entry can go.
KNOWN_WRONG = {}


def test_every_url_pattern_has_an_entry_in_the_matrix():
    patterns = url_conf_patterns()
    missing = [name for name in patterns if name not in MATRIX]
    assert not missing, (
        "URL patterns without an entry in tests/security/matrix.py's MATRIX (add each with "
        f"what every role gets there): {missing}"
    )
    stale = sorted(set(MATRIX) - set(patterns))
    assert not stale, f"MATRIX entries for URL patterns that no longer exist: {stale}"


def _cases():
    for name, cases in MATRIX.items():
        for case in cases:
            for role in ROLES:
                label = f"{name}[{case.method}{' ' + case.label if case.label else ''}]-{role}"
                reason = KNOWN_WRONG.get((name, case.label, role))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(case, role, id=label, marks=marks)


@pytest.fixture
def _no_build_process(monkeypatch):
    """A reviewer's POST to /data/build/ would start `build_data_package` in a process of its
    own, on whatever database the settings name: not in a test."""
    monkeypatch.setattr("apps.opendata.views.start_build", lambda: None)


@pytest.mark.parametrize(("case", "role"), list(_cases()))
def test_what_each_role_gets_at_each_url(world, case, role, _no_build_process):
    client = world.client(role)
    url = case.url(world)
    response = getattr(client, case.method)(url, case.data or {})
    if response.streaming:
        b"".join(response.streaming_content)
    expected = case.expect[role]
    where = (case.method.upper(), url, role)
    if expected in (LOGIN, ADMIN_LOGIN):
        assert response.status_code == 302, (*where, response.status_code)
        sign_in_page = "/accounts/login/" if expected == LOGIN else "/admin/login/"
        assert response["Location"].startswith(sign_in_page), (*where, response["Location"])
    else:
        assert response.status_code == expected, (*where, response.status_code)
