import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_rate_limit_counters():
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


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
