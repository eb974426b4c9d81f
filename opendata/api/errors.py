"""One shape for every error of the read API, in the visitor's language (French by default):
{"detail": "…"} and, for wrong parameters, "errors": {parameter: [messages]}."""

from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.views import exception_handler


def use_api_language(request):
    """The API, read by programs without the site's language cookie, also follows
    Accept-Language (the cookie first; French by default)."""
    translation.activate(translation.get_language_from_request(request))
    request.LANGUAGE_CODE = translation.get_language()


class InvalidParameters(exceptions.APIException):
    """A 400 naming the parameters in error, each with its messages."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Paramètres invalides.")

    def __init__(self, errors: dict, detail=None):
        super().__init__()
        self.detail = {
            "detail": str(detail or self.default_detail),
            "errors": {name: [str(m) for m in messages] for name, messages in errors.items()},
        }


def handle_exception(exc, context):
    """DRF's handler, but a 404 says "Non trouvé." rather than Django's English sentence
    ("No Actor matches the given query.")."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return exception_handler(exc, context)


class ApiContentNegotiation(DefaultContentNegotiation):
    """?format=garbage (or an empty ?format=) is a 400 naming the formats, not a 404."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if request.query_params.get(self.settings.URL_FORMAT_OVERRIDE) == "":
            self.filter_renderers(renderers, "")
        return super().select_renderer(request, renderers, format_suffix)

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            known = ", ".join(renderer.format for renderer in renderers)
            raise InvalidParameters(
                {
                    "format": [
                        gettext("Format inconnu : « %(format)s ». Formats possibles : %(known)s.")
                        % {"format": format, "known": known}
                    ]
                }
            )
        return matching


def not_found(request, path=""):
    """Any other address under /api/: a JSON 404 (a missing final slash still redirects)."""
    use_api_language(request)
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "not-found":
            query = request.META.get("QUERY_STRING", "")
            return redirect(request.path + "/" + (f"?{query}" if query else ""), permanent=True)
    return JsonResponse(
        {"detail": str(exceptions.NotFound.default_detail)}, status=status.HTTP_404_NOT_FOUND
    )
