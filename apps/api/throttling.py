"""The API's rate limit for anonymous clients (every client: the API has no accounts)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from apps.core.client_ip import client_network


class AnonymousApiThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, with its rate read from the API_ANON_RATE setting on each
    request (DRF reads its own setting once, at import) and counting clients the way the tip
    limit and login lockouts do: behind TRUSTED_PROXY_COUNT proxies, by the address they
    forwarded, and an IPv6 client by its /64 network. Counters live in the default cache,
    which production requires to be Redis, shared by every worker."""

    scope = "api-anonymous"

    def get_rate(self):
        return settings.API_ANON_RATE

    def get_ident(self, request):
        return client_network(request) or super().get_ident(request)
