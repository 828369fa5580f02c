"""Who is on the other end of a request, for login throttling (axes) and the audit log."""

from django.conf import settings


def client_ip(request) -> str:
    """The client's address. With TRUSTED_PROXY_COUNT reverse proxies in front, each of which
    appends the address it saw to X-Forwarded-For, that is the entry TRUSTED_PROXY_COUNT places
    from the right; anything further left was written by the client and is not trusted."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < count:
        return remote  # the request did not come through every proxy
    return forwarded[-count]
