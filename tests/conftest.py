import pytest
from django.core.cache import cache

# member_of lives in tests/factories.py; some test modules import it from here.
from tests.factories import UserFactory, member_of


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no rate-limit counter or cached transparency
    figures (apps/agencies/transparency.py) from another test, so pinned query counts do not
    depend on the order tests run in."""
    cache.clear()


@pytest.fixture
def volunteer(db):
    return member_of("Volunteers", username="vera", display_name="Vera Volunteer")


@pytest.fixture
def reviewer(db):
    return member_of("Reviewers", username="rita", display_name="Rita Reviewer")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", display_name="Ada Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def volunteer_client(client, volunteer):
    client.force_login(volunteer)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client
