"""The client's address, for rate limits (tips) and login lockouts (django-axes).

Directly exposed, it is REMOTE_ADDR. Behind a reverse proxy REMOTE_ADDR is the proxy, so
every visitor would share one limit and anyone could lock any account: with
TRUSTED_PROXY_COUNT proxies in front, the address is the one the outermost of ours appended
to X-Forwarded-For (counting from the right, so a client cannot forge it)."""

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
