"""Project-wide middleware."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import get_supported_language_variant


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese for everyone unless they chose another language with the switch.

    Django's own middleware follows the browser's Accept-Language, so a county office PC or a
    phone set to English would get English pages nobody asked for. Here only the language
    cookie that the switch (``set_language``) sets counts; otherwise ``LANGUAGE_CODE``.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = get_supported_language_variant(chosen) if chosen else None
        except LookupError:
            language = None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The page depends on the cookie, not on Accept-Language: no Vary on that header.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
