"""The published data, read from anywhere: actors, relations and territories as JSON.

Only the published tables are read and only public fields are serialised: nothing from
contributions reaches a public endpoint."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from actors.filters import ActorFilter
from actors.models import Actor
from actors.serializers import ActorSerializer
from relations.filters import RelationFilter
from relations.models import Relation
from relations.serializers import RelationSerializer
from territories.filters import TerritoryFilter
from territories.models import Territory
from territories.serializers import TerritorySerializer

from .base import PublicReadViewSet, ordering_parameter
from .parameters import (
    ACTOR_FILTER_PARAMETERS,
    RELATION_FILTER_PARAMETERS,
    TERRITORY_FILTER_PARAMETERS,
)

ACTOR_ORDERING = ["name", "type", "commune_name", "founded_year", "ended_year", "lifecycle"]


@extend_schema_view(
    list=extend_schema(
        tags=["acteurs"],
        summary=_("Acteurs (actors)"),
        description=_(
            "Les acteurs publiés, avec les mêmes filtres que la carte et la liste : les acteurs "
            "disparus sont masqués sauf si on les demande (published actors, map filters)."
        ),
        parameters=[*ACTOR_FILTER_PARAMETERS, ordering_parameter(ACTOR_ORDERING)],
    ),
    retrieve=extend_schema(
        tags=["acteurs"],
        summary=_("Un acteur (one actor)"),
        description=_("La fiche d'un acteur, disparu ou non (an actor's card)."),
        parameters=[
            OpenApiParameter(
                "slug",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description=_("Identifiant de l'acteur (actor slug)."),
            )
        ],
    ),
)
class ActorViewSet(PublicReadViewSet):
    queryset = Actor.objects.select_related("parent", "territory").prefetch_related(
        "contacts", "secondary_types"
    )
    serializer_class = ActorSerializer
    lookup_field = "slug"
    filterset_class = ActorFilter
    ordering_fields = ACTOR_ORDERING
    ordering_aliases = {"name": "sort_name"}


RELATION_ORDERING = ["id", "type", "start_year", "end_year"]


@extend_schema_view(
    list=extend_schema(
        tags=["relations"],
        summary=_("Relations entre acteurs (relations)"),
        description=_(
            "Les relations publiées. Une relation symétrique (partage d'informations, "
            "collaboration) figure une seule fois ; une prestation de service va du prestataire "
            "au bénéficiaire (published relations)."
        ),
        parameters=[*RELATION_FILTER_PARAMETERS, ordering_parameter(RELATION_ORDERING)],
    ),
    retrieve=extend_schema(
        tags=["relations"],
        summary=_("Une relation (one relation)"),
        parameters=[
            OpenApiParameter(
                "id",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description=_("Identifiant de la relation (relation id)."),
            )
        ],
    ),
)
class RelationViewSet(PublicReadViewSet):
    queryset = Relation.objects.select_related("source", "target")
    serializer_class = RelationSerializer
    filterset_class = RelationFilter
    ordering_fields = RELATION_ORDERING


TERRITORY_ORDERING = ["name", "level", "code", "population"]


@extend_schema_view(
    list=extend_schema(
        tags=["territoires"],
        summary=_("Territoires (territories)"),
        description=_(
            "Régions, départements, EPCI et communes, avec leur code officiel ; le contour de "
            "chacun est servi en GeoJSON (regions, departments, EPCIs, municipalities)."
        ),
        parameters=[*TERRITORY_FILTER_PARAMETERS, ordering_parameter(TERRITORY_ORDERING)],
    ),
    retrieve=extend_schema(
        tags=["territoires"],
        summary=_("Un territoire (one territory)"),
        parameters=[
            OpenApiParameter(
                "slug",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description=_("Identifiant du territoire (territory slug)."),
            )
        ],
    ),
)
class TerritoryViewSet(PublicReadViewSet):
    queryset = Territory.objects.select_related("parent").defer(
        "boundary", "min_latitude", "max_latitude", "min_longitude", "max_longitude"
    )
    serializer_class = TerritorySerializer
    lookup_field = "slug"
    filterset_class = TerritoryFilter
    ordering_fields = TERRITORY_ORDERING
