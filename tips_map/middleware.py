from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    """French unless the visitor chose another language with the switch (a cookie).

    Django's LocaleMiddleware also follows the browser's Accept-Language, which would show
    English to most visitors' default browsers; the map is French first.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        languages = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PayloadMiddleware:
    """Serves the views marked `@payloads.served_early` before the rest of the middleware.

    Those views answer bytes that are the same for every visitor (no session, language, user or
    form): the sessions, locale, CSRF, authentication and messages layers would only add time to
    the endpoint the map calls on every visit (a millisecond of a request of two).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            if getattr(match.func, "served_early", False):
                request.resolver_match = match
                return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)
