"""What the OpenAPI schema adds to every operation of the published data: its error answers."""

from django.conf import settings
from django.utils.translation import gettext

ERROR_SCHEMA = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "Explication (explanation)."},
        "errors": {
            "type": "object",
            "description": "Pour chaque paramètre en erreur, ses messages (messages per parameter).",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}


def error_response(description: str, media_types) -> dict:
    """An error in the media types of the operation's answer (GeoJSON for a .geojson) and JSON."""
    schema = {"$ref": "#/components/schemas/ApiError"}
    return {
        "description": description,
        "content": {media_type: {"schema": schema} for media_type in media_types},
    }


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: a 400 (wrong parameter, unknown format) and a 404
    on every GET of the published data; the contact's address on settings.SITE_URL."""
    result["components"].setdefault("schemas", {})["ApiError"] = ERROR_SCHEMA
    for path, item in result["paths"].items():
        operation = item.get("get")
        if operation is None or path.startswith(("/api/contributions", "/api/schema")):
            continue
        responses = operation["responses"]
        media_types = ["application/json", *responses.get("200", {}).get("content", {})]
        media_types = list(dict.fromkeys(media_types))
        responses.setdefault(
            "400",
            error_response(
                gettext(
                    "Paramètre inconnu ou invalide, format inconnu (invalid parameter or format)."
                ),
                media_types,
            ),
        )
        responses.setdefault(
            "404",
            error_response(gettext("Introuvable, ou page hors limites (not found)."), media_types),
        )
    result["info"].setdefault("contact", {})["url"] = settings.SITE_URL + "/donnees/"
    return result
