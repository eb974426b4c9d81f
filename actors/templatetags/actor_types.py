from django import template
from django.utils.html import json_script
from django.utils.translation import gettext

from ..models import ActorType

register = template.Library()


@register.simple_tag
def map_labels():
    """Translated labels the map scripts need, as a JSON script element (id "map-labels")."""
    return json_script(
        {
            "types": {t.value: str(t.label) for t in ActorType},
            "external": gettext("Acteur extérieur au territoire"),
            "gone": gettext("Acteur disparu"),
        },
        "map-labels",
    )
