from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import transaction
from django.test import override_settings
from django.utils import translation

# member_of lives in tests/factories.py; some test modules import it from here.
from tests.factories import UserFactory, member_of, sign_in


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: no rate-limit counter or cached transparency
    figures (apps/agencies/transparency.py) from another test, and no page in the page
    cache (its own alias) stored by another test, so neither pinned query counts nor what
    a test is served depend on the order tests run in."""
    for each in caches.all():
        each.clear()


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A page under /es/ leaves Spanish active in the thread (LocaleMiddleware activates the
    page's language and nothing deactivates it), so the next test's reverse() would give
    /es/ addresses: every test starts and ends in the default language."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


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
    sign_in(client, reviewer)
    return client


@dataclass
class DemoLoad:
    result: object
    media_root: Path


@pytest.fixture(scope="module")
def demo_load(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, loaded once for a module's tests (a load takes half a minute) inside a
    transaction rolled back after them; each test runs in a savepoint within it, as usual.
    Its documents go to a folder of their own, which `seeded` makes the tests' MEDIA_ROOT."""
    from apps.demo.loader import load_demo_data

    media_root = tmp_path_factory.mktemp("demo-media")
    with (
        override_settings(MEDIA_ROOT=media_root),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield DemoLoad(result=load_demo_data(), media_root=media_root)
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo_load, settings):
    """The demo data (loaded once per module by demo_load): what the load returned."""
    settings.MEDIA_ROOT = demo_load.media_root
    return demo_load.result
