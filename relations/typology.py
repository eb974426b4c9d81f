"""The report's three relation types (annex 2, lines 2237-2239 and the legend at 2283-2286).

The report draws them as solid, dashed and bold lines; every view keeps that legend.
"""

from django.utils.translation import gettext_lazy as _

from .models import RelationType

DESCRIPTIONS = {
    RelationType.PARTAGE_INFORMATION: _(
        "Les deux organisations échangent des informations : rencontres, participation aux "
        "événements de l'autre, sans travail commun."
    ),
    RelationType.PRESTATION_SERVICE: _(
        "Une organisation rend un service à l'autre : formation, accompagnement, mission, "
        "mise à disposition. La flèche va du prestataire au bénéficiaire."
    ),
    RelationType.COLLABORATION: _(
        "Les deux organisations travaillent ensemble : partenariat, co-construction, "
        "co-fondation, appartenance à un même réseau."
    ),
}

# Line styles of the report's legend, shared by the map, the card and the network (CSS classes
# relation-<type> and the JS palette use the same names).
LINE_STYLES = {
    RelationType.PARTAGE_INFORMATION: {"weight": 2, "dashArray": None},
    RelationType.PRESTATION_SERVICE: {"weight": 2, "dashArray": "6 5"},
    RelationType.COLLABORATION: {"weight": 5, "dashArray": None},
}
