import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from apps.accounts.roles import REVIEWERS, VOLUNTEERS
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_rate_limit_counters():
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


def _user_in(group_name, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=group_name)[0])
    return user


@pytest.fixture
def reviewer(db):
    return _user_in(REVIEWERS, username="rita-reviewer")


@pytest.fixture
def volunteer(db):
    return _user_in(VOLUNTEERS, username="vic-volunteer")


@pytest.fixture
def tip_data():
    return {
        "technology_text": "Face recognition",
        "technology": "",
        "agency_name": "Washington County Sheriff's Office",
        "locality": "Washington County",
        "region": "OR",
        "when": "2017",
        "description": "Records show the sheriff searches booking photos with a cloud service.",
        "source_url": "https://news.example.org/sheriff-face-recognition",
        "contact_email": "whistle@private.example.net",
        "reference_code": "",
    }
