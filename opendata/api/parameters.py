"""The documented query parameters of the lists (French first, English in parentheses):
written by hand rather than guessed from the filter sets, which serve the map and the list too."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from actors.models import ActorType, AdministrativeStatus, Lifecycle, Scope
from relations.models import RelationType
from territories.models import Level

ACTOR_FILTER_PARAMETERS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description=_(
            "Recherche dans le nom, le nom usuel, le sigle, la commune et les missions, sans tenir "
            "compte des accents ni de la casse (accent- and case-insensitive search)."
        ),
    ),
    OpenApiParameter(
        "type",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        enum=ActorType.values,
        description=_(
            "Type d'acteur, principal ou secondaire ; répétable, les valeurs s'additionnent "
            "(actor type, main or secondary; repeatable)."
        ),
    ),
    OpenApiParameter(
        "territoire",
        OpenApiTypes.STR,
        description=_(
            "Identifiant d'un territoire (voir /api/territories/) : les acteurs situés dedans, "
            "à toutes les échelles (territory slug: actors located within it)."
        ),
    ),
    OpenApiParameter(
        "portee",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        enum=Scope.values,
        description=_("Portée de l'action ; répétable (scope; repeatable)."),
    ),
    OpenApiParameter(
        "statut",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        enum=AdministrativeStatus.values,
        description=_("Statut administratif ; répétable (administrative status; repeatable)."),
    ),
    OpenApiParameter(
        "cycle",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        enum=Lifecycle.values,
        description=_(
            "Cycle de vie ; répétable. Demander « disparu » inclut les acteurs disparus "
            "(life cycle; repeatable)."
        ),
    ),
    OpenApiParameter(
        "disparus",
        OpenApiTypes.BOOL,
        description=_(
            "Inclure les acteurs disparus, masqués par défaut comme sur la carte "
            "(include disappeared actors, hidden by default)."
        ),
    ),
    OpenApiParameter(
        "relation",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        enum=RelationType.values,
        description=_(
            "Acteurs qui ont au moins une relation de ce type ; répétable "
            "(actors having a relation of this type; repeatable)."
        ),
    ),
]


RELATION_FILTER_PARAMETERS = [
    OpenApiParameter(
        "type",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        enum=RelationType.values,
        description=_("Type de relation ; répétable (relation type; repeatable)."),
    ),
    OpenApiParameter(
        "acteur",
        OpenApiTypes.STR,
        description=_(
            "Identifiant d'un acteur : ses relations, qu'il en soit la source ou la cible "
            "(actor slug: relations involving it)."
        ),
    ),
]


TERRITORY_FILTER_PARAMETERS = [
    OpenApiParameter(
        "niveau",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        enum=Level.values,
        description=_("Niveau : région, département, EPCI, commune ; répétable (level)."),
    ),
    OpenApiParameter(
        "parent",
        OpenApiTypes.STR,
        description=_(
            "Identifiant du territoire parent : ses subdivisions directes (parent territory slug)."
        ),
    ),
]
