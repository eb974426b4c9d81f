"""System checks of the deployment (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs=None, **kwargs) -> list[Warning]:
    """Every URI of the data (an actor's @id, the exports' and the API's URLs, the catalogue's
    download addresses) starts with SITE_URL: left on this machine's address, they lead
    nowhere for anyone else, and changing it later changes every identifier published."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if settings.DEBUG or host not in LOCAL_HOSTS:
        return []
    return [
        Warning(
            f"TIPS_SITE_URL is {settings.SITE_URL!r}, a local address: the URIs of actors "
            "and relations and the URLs of the exports, the API and the data catalogue "
            "would all start with it.",
            hint="Set TIPS_SITE_URL to the site's public address (e.g. "
            "https://tips.example.org) before publishing any data.",
            id="tips_map.W001",
        )
    ]
