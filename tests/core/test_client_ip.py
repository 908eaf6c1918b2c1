import pytest
from django.core.cache import cache
from django.test import RequestFactory

from apps.core.client_ip import client_ip
from apps.tips.models import Tip

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # exposed directly: the header is not trusted
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged first entry is ignored
        (2, "203.0.113.9, 198.51.100.2", "203.0.113.9"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_ip_trusts_only_our_own_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_a_proxy_each_visitor_has_their_own_tip_limit(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TIP_RATE = "1/h"
    cache.clear()
    tip = {
        "technology_text": "Drones",
        "agency_name": "Example Police",
        "locality": "Example City",
        "description": "They bought drones.",
        "source_url": "https://news.example.org/drones",
    }
    first = client.post("/submit/", tip, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1")
    other = client.post("/submit/", tip, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2")
    again = client.post("/submit/", tip, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert (first.status_code, other.status_code, again.status_code) == (302, 302, 429)
    assert Tip.objects.count() == 2
