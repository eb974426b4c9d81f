from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """The ecosystem as a network: drawing, measures, territories compared."""

    name = "network"
    verbose_name = _("Réseau")
