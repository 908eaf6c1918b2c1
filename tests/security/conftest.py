from dataclasses import dataclass

import pytest
from django.db import transaction

from tests.security.world import build_world


@dataclass
class Built:
    world: object
    media_root: object
    data_dir: object


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for a module's tests inside a transaction rolled back after
    them; each test runs in a savepoint within it, so what one test's request changes (an
    approval, a withdrawal) the next does not see."""
    media_root = tmp_path_factory.mktemp("security-media")
    data_dir = tmp_path_factory.mktemp("security-package")
    with django_db_blocker.unblock(), transaction.atomic():
        yield Built(build_world(media_root, data_dir), media_root, data_dir)
        transaction.set_rollback(True)


@pytest.fixture
def world(built_world, db, settings):
    settings.MEDIA_ROOT = built_world.media_root
    settings.DATA_PACKAGE_DIR = built_world.data_dir
    settings.SITE_URL = "http://testserver"
    # The tests fetch hundreds of pages from one client: no abuse limit is what they test.
    settings.SEARCH_RATE = settings.EXPORT_RATE = settings.API_ANON_RATE = "100000/m"
    return built_world.world
