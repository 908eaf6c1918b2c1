"""The client's address, for rate limits (tips) and login lockouts (django-axes).

Directly exposed, it is REMOTE_ADDR. Behind a reverse proxy REMOTE_ADDR is the proxy, so
every visitor would share one limit and anyone could lock any account: with
TRUSTED_PROXY_COUNT proxies in front, the address is the one the outermost of ours appended
to X-Forwarded-For (counting from the right, so a client cannot forge it)."""

import ipaddress

from django.conf import settings


def client_ip(request):
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def client_network(request):
    """The client's address with IPv6 cut to its network (/64 by default): one subscriber
    usually holds a whole /64, so counting single IPv6 addresses would let them rotate
    through millions. The same network django-ratelimit's `ip` key counts (the tip limit),
    with the same RATELIMIT_IPV6_MASK / RATELIMIT_IPV4_MASK settings. None when there is no
    usable address (a Unix socket without a proxy header)."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    if parsed.version == 6:
        mask = getattr(settings, "RATELIMIT_IPV6_MASK", 64)
    else:
        mask = getattr(settings, "RATELIMIT_IPV4_MASK", 32)
    return str(ipaddress.ip_network(f"{parsed}/{mask}", strict=False).network_address)
