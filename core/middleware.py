"""Request middleware of the project."""

import contextlib

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings
from django.middleware.locale import LocaleMiddleware as BaseLocaleMiddleware
from django.utils import translation

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


class LocaleMiddleware(BaseLocaleMiddleware):
    """Vietnamese unless the person chose another language with the switch in the footer (the
    language cookie). The browser's Accept-Language is not consulted: many office computers run an
    English Windows, and their users expect the Vietnamese product, not Django's own messages in
    English beside Vietnamese ones."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = settings.LANGUAGE_CODE
        if chosen:
            with contextlib.suppress(LookupError):
                language = translation.get_supported_language_variant(chosen)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def __call__(self, request):
        try:
            return super().__call__(request)
        finally:
            # The language is a thread's state: once the response is made, the thread goes back to
            # the product's language, so that what runs next in it (another request's early work,
            # a test) does not inherit this reader's English.
            translation.deactivate()
