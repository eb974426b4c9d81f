"""The published data as GeoJSON (RFC 7946): actors as points, relations as segments,
a territory's boundary."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.response import Response

from actors.filters import ActorFilter
from actors.identifiers import actor_uri
from actors.models import Actor
from relations.filters import RelationFilter
from relations.models import Relation
from territories.models import Territory

from .base import FORMAT_PARAMETER, GeoJSONView, feature, feature_collection, published
from .parameters import ACTOR_FILTER_PARAMETERS, RELATION_FILTER_PARAMETERS, TERRITORY_SLUG


def feature_collection_responses(example: dict) -> dict:
    """The 200 of a FeatureCollection endpoint, shown with one feature."""
    return {
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description=_("FeatureCollection GeoJSON (RFC 7946)."),
            examples=[OpenApiExample("FeatureCollection", value=feature_collection([example]))],
        )
    }


def point(longitude: float, latitude: float) -> dict:
    return {"type": "Point", "coordinates": [longitude, latitude]}


def segment(start: list[float], end: list[float]) -> dict:
    """A LineString, or a Point when both ends are one place (two partners in one commune
    centre): a LineString of zero length is an invalid geometry for QGIS and shapely."""
    if start == end:
        return point(*start)
    return {"type": "LineString", "coordinates": [start, end]}


@extend_schema(
    tags=["acteurs"],
    summary=_("Acteurs en GeoJSON (actors as GeoJSON)"),
    description=_(
        "Une FeatureCollection de points (longitude, latitude en WGS 84), un par acteur localisé, "
        "avec les propriétés type, name, slug, commune et url ; mêmes filtres que la liste "
        "(a FeatureCollection of points, same filters as the list)."
    ),
    parameters=[*ACTOR_FILTER_PARAMETERS, FORMAT_PARAMETER],
    responses=feature_collection_responses(
        feature(
            point(3.0863, 45.7797),
            {
                "type": "cellule_innovation",
                "name": "Archipel",
                "slug": "archipel",
                "commune": "Clermont-Ferrand",
                "url": "https://example.org/acteurs/archipel/",
                "updated_at": "2026-11-02T10:15:00+01:00",
            },
        )
    ),
)
class ActorGeoJSONView(GeoJSONView):
    queryset = Actor.objects.all()
    filterset_class = ActorFilter

    def get(self, request):
        rows = (
            self.filter_queryset(self.get_queryset())
            .filter(latitude__isnull=False, longitude__isnull=False)
            .order_by("sort_name")
            .values_list(
                "slug", "name", "type", "commune_name", "latitude", "longitude", "updated_at"
            )
        )
        features = [
            feature(
                point(longitude, latitude),
                {
                    "type": actor_type,
                    "name": name,
                    "slug": slug,
                    "commune": commune,
                    "url": actor_uri(slug),
                    "updated_at": updated_at,
                },
            )
            for slug, name, actor_type, commune, latitude, longitude, updated_at in rows
        ]
        return Response(published(feature_collection(features)))


@extend_schema(
    tags=["relations"],
    summary=_("Relations en GeoJSON (relations as GeoJSON)"),
    description=_(
        "Une FeatureCollection de segments (LineString) entre les deux partenaires localisés de "
        "chaque relation, de la source vers la cible, avec les propriétés id, type, source, "
        "target et directed ; un point (Point) quand les deux partenaires sont au même endroit "
        "(LineStrings between partners, a Point when they share a place)."
    ),
    parameters=[*RELATION_FILTER_PARAMETERS, FORMAT_PARAMETER],
    responses=feature_collection_responses(
        feature(
            segment([3.0863, 45.7797], [4.8354, 45.7677]),
            {
                "id": 1,
                "type": "prestation_service",
                "source": "archipel",
                "target": "la-27e-region",
                "directed": True,
                "updated_at": "2026-11-02T10:15:00+01:00",
            },
        )
    ),
)
class RelationGeoJSONView(GeoJSONView):
    queryset = Relation.objects.select_related("source", "target").only(
        "id",
        "type",
        "updated_at",
        "source__slug",
        "source__latitude",
        "source__longitude",
        "target__slug",
        "target__latitude",
        "target__longitude",
    )
    filterset_class = RelationFilter

    def get(self, request):
        features = []
        for relation in self.filter_queryset(self.get_queryset()).order_by("pk"):
            source, target = relation.source, relation.target
            if None in (source.latitude, source.longitude, target.latitude, target.longitude):
                continue
            features.append(
                feature(
                    segment(
                        [source.longitude, source.latitude], [target.longitude, target.latitude]
                    ),
                    {
                        "id": relation.pk,
                        "type": relation.type,
                        "source": source.slug,
                        "target": target.slug,
                        "directed": relation.is_directed,
                        "updated_at": relation.updated_at,
                    },
                )
            )
        return Response(feature_collection(features))


@extend_schema(
    tags=["territoires"],
    summary=_("Contour d'un territoire en GeoJSON (territory boundary)"),
    description=_(
        "Le contour simplifié du territoire (Polygon ou MultiPolygon, WGS 84) comme une Feature "
        "GeoJSON, avec les propriétés name, slug, level, code et parent ; geometry vaut null "
        "sans contour connu (the boundary as a GeoJSON Feature)."
    ),
    parameters=[TERRITORY_SLUG, FORMAT_PARAMETER],
    responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Feature GeoJSON."))},
)
class TerritoryGeoJSONView(GeoJSONView):
    queryset = Territory.objects.select_related("parent")
    lookup_field = "slug"
    filter_backends = []

    def get(self, request, slug):
        territory = self.get_object()
        return Response(
            feature(
                territory.boundary,
                {
                    "name": territory.name,
                    "slug": territory.slug,
                    "level": territory.level,
                    "code": territory.code,
                    "parent": territory.parent.slug if territory.parent_id else None,
                },
            )
        )
