"""Request middleware of the project."""

import contextlib

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings
from django.middleware.locale import LocaleMiddleware as BaseLocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers

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


def holds_personal_data(resolver_match) -> bool:
    """Whether the page resolved to carries personal data (settings.NO_STORE_URLS: namespaces, or
    URL names outside any namespace)."""
    if resolver_match is None:
        return False
    wanted = settings.NO_STORE_URLS
    return bool(set(resolver_match.namespaces) & wanted) or resolver_match.view_name in wanted


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and Django's other never-cache headers) on every response of a
    page with personal data: officers share office computers, and neither the browser's cache nor
    a proxy may keep a household list, an export or a job's file for the next person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if holds_personal_data(getattr(request, "resolver_match", None)):
            add_never_cache_headers(response)
        return response
