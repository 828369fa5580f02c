"""Request middleware of the project."""

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings

from .security import client_ip


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """auditlog's middleware (the actor of every change made in a request), recording the client
    address the way login throttling sees it: auditlog's own reads the left-most X-Forwarded-For
    entry, which the client can forge."""

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_ip(request) or None
