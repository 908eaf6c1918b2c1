import pytest
from django.core.cache import cache
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"  # UserFactory's password
STRONG_PASSWORD = "plum-kettle-orbit-4417"


@pytest.fixture(autouse=True)
def _clear_rate_limit_counters():
    """Rate-limit counters (password-reset requests) live in the cache; every test starts
    with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _login_redirect(settings):
    """LOGIN_REDIRECT_URL names the "my contributions" page, built elsewhere; until it
    exists, redirect to the profile page so these tests do not depend on it."""
    try:
        reverse(settings.LOGIN_REDIRECT_URL)
    except NoReverseMatch:
        settings.LOGIN_REDIRECT_URL = "accounts:profile"


@pytest.fixture
def after_login_url(settings):
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@pytest.fixture
def site_admin(db):
    return UserFactory(username="adam", display_name="Adam Admin", is_staff=True)
