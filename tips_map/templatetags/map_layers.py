"""What every map's script needs from the server: the backgrounds and the controls' labels."""

from django import template
from django.conf import settings
from django.utils.html import json_script
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def map_layers_config():
    """The JSON script element "map-layers-config" read by static/js/map_layers.js."""
    backgrounds = [
        {
            "key": background["key"],
            "name": str(background["name"]),
            "url": background["url"],
            "attribution": str(background["attribution"]),
            "maxZoom": background["max_zoom"],
        }
        for background in settings.MAP_BACKGROUNDS
    ]
    labels = {
        "none": gettext("Sans fond de carte"),
        "unavailable": gettext("Fond de carte indisponible : seuls les contours sont affichés"),
        "unavailableShort": gettext("Fond de carte indisponible"),
        "fullscreen": gettext("Afficher la carte en plein écran"),
        "exitFullscreen": gettext("Quitter le plein écran"),
        "legend": gettext("Légende"),
        # A cluster's label: "12 acteurs : 5 Cellule publique d'innovation, 4 …".
        "cluster": gettext("%(n)s acteurs"),
    }
    return json_script({"backgrounds": backgrounds, "labels": labels}, "map-layers-config")
