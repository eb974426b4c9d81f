"""The report's definition of each actor type (section 2.2.1, lines 798-853)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import ActorType


@dataclass(frozen=True)
class TypeDefinition:
    type: ActorType
    status: Promise
    functions: Promise
    accountability: Promise
    beneficiaries: Promise
    report_lines: str
    # The line of the report listing this type's examples in the region ("Exemples en AURA").
    examples_line: int | None = None


DEFINITIONS = {
    d.type: d
    for d in [
        TypeDefinition(
            ActorType.CELLULE_INNOVATION,
            _(
                "Public. Structure intégrée à une ou plusieurs collectivités, organismes publics, "
                "services déconcentrés."
            ),
            _(
                "Développer des solutions innovantes (incuber, prototyper, tester, évaluer, "
                "diffuser), acculturer, accompagner le changement."
            ),
            _("Direction de l'organisation publique (DGS, DG…) et élus, principalement."),
            _("Directions métiers, projets transversaux, établissements sous tutelle…"),
            "798-804",
            804,
        ),
        TypeDefinition(
            ActorType.PROMOTION_ACCOMPAGNEMENT,
            _("Public ou associatif, à vocation régionale ou nationale."),
            _(
                "Développer et disséminer des outils et des ressources pour soutenir les cellules et "
                "processus d'innovation. Faciliter les échanges entre acteurs divers. Prospective de "
                "l'innovation publique."
            ),
            _(
                "Direction de l'organisation publique (ministère de la Transformation…) ; "
                "gouvernance associative…"
            ),
            _("Organisations publiques (de l'État, collectivités, hôpitaux…), associations…"),
            "806-812",
            812,
        ),
        TypeDefinition(
            ActorType.INTERMEDIATION,
            _("Associatif."),
            _(
                "Rassembler et faciliter la collaboration d'acteurs divers. Développer, mettre à "
                "disposition et disséminer des outils, ressources et solutions."
            ),
            _(
                "Gouvernance associative, souvent avec une présence importante d'acteurs publics "
                "locaux."
            ),
            _("Citoyens, organisations publiques, associations, entreprises…"),
            "814-820",
            820,
        ),
        TypeDefinition(
            ActorType.FORMATION_RECHERCHE,
            _("Public ou privé."),
            _(
                "Développer des compétences par des formations initiale ou continue. Mieux comprendre "
                "et favoriser les échanges, y compris par des recherches-action."
            ),
            _("Direction des établissements, partenaires."),
            _("Étudiants, formation continue, autres centres de recherche et de formation."),
            "831-837",
            837,
        ),
        TypeDefinition(
            ActorType.PRESTATAIRE,
            _("Privé, coopératif ou associatif."),
            _(
                "Accompagner ou proposer des processus d'innovation, acculturation et gestion du "
                "changement."
            ),
            _("Gouvernance d'entreprise ou associative."),
            _("Organisations publiques, associations."),
            "839-845",
            845,
        ),
        TypeDefinition(
            ActorType.RESEAU_COMMUNAUTE,
            _("Associatif, formels ou informels."),
            _("Rassembler et faciliter l'échange et la collaboration d'acteurs divers."),
            _("La communauté."),
            _("Acteurs individuels ou organisationnels."),
            "847-853",
            853,
        ),
        TypeDefinition(
            ActorType.AUTRE,
            _("Tout statut."),
            _(
                "Acteurs de l'écosystème qui ne relèvent d'aucun des six types : organisations "
                "parentes, financeurs, partenaires."
            ),
            _("Propre à chaque organisation."),
            _("Variable."),
            "2282",
        ),
    ]
}
