from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    """The map as a public dataset: API, exports and imports of the validated data."""

    name = "opendata"
    verbose_name = _("Données ouvertes")
