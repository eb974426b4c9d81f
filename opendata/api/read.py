"""The published data, read from anywhere: actors, relations and territories as JSON.

Only the published tables are read and only public fields are serialised: nothing from
contributions reaches a public endpoint. With ?version=, the records of a release
(opendata/api/versions.py)."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.reverse import reverse

from actors.filters import ActorFilter
from actors.linked_data import organization
from actors.models import PUBLIC_FIELDS, Actor
from actors.serializers import ActorSerializer
from relations.filters import RelationFilter
from relations.models import Relation
from relations.serializers import RelationSerializer
from territories.filters import TerritoryFilter
from territories.models import Territory
from territories.serializers import TerritorySerializer

from ..linked_data import FORMAT_PARAMETER, LinkedDataView, relation
from .base import PublicReadViewSet, ordering_parameter
from .parameters import (
    ACTOR_FILTER_PARAMETERS,
    ACTOR_SLUG,
    RELATION_FILTER_PARAMETERS,
    RELATION_ID,
    TERRITORY_FILTER_PARAMETERS,
    TERRITORY_SLUG,
    VERSION,
)
from .versions import ReleasedRecords


def documented(
    tag: str,
    *,
    filters: list[OpenApiParameter],
    lookup: OpenApiParameter,
    list_summary,
    list_description,
    detail_summary,
    detail_description=None,
):
    """The schema of a viewset's list (its filters, and the ordering read from the viewset's
    own ordering_fields, so that the two cannot drift apart) and of its detail."""

    def decorate(viewset):
        # JSON-LD for the records that have a URI (opendata/linked_data.py).
        formats = [FORMAT_PARAMETER] if issubclass(viewset, LinkedDataView) else []
        return extend_schema_view(
            list=extend_schema(
                tags=[tag],
                summary=list_summary,
                description=list_description,
                parameters=[
                    *filters,
                    ordering_parameter(viewset.ordering_fields),
                    *formats,
                    VERSION,
                ],
            ),
            retrieve=extend_schema(
                tags=[tag],
                summary=detail_summary,
                description=detail_description,
                parameters=[lookup, *formats, VERSION],
            ),
        )(viewset)

    return decorate


CONCRETE_PUBLIC_FIELDS = [
    field
    for field in PUBLIC_FIELDS
    if Actor._meta.get_field(field).concrete and not Actor._meta.get_field(field).many_to_many
]


@documented(
    "acteurs",
    filters=ACTOR_FILTER_PARAMETERS,
    lookup=ACTOR_SLUG,
    list_summary=_("Acteurs (actors)"),
    list_description=_(
        "Les acteurs publiés, avec les mêmes filtres que la carte et la liste : les acteurs "
        "disparus sont masqués sauf si on les demande (published actors, map filters)."
    ),
    detail_summary=_("Un acteur (one actor)"),
    detail_description=_("La fiche d'un acteur, disparu ou non (an actor's card)."),
)
class ActorViewSet(ReleasedRecords, LinkedDataView, PublicReadViewSet):
    record_kind = "actor"
    # Only the fields written: the parent's and the territory's slugs, never the territory's
    # boundary (decoding every actor's commune outline made a page of 1000 take seconds).
    queryset = (
        Actor.objects.select_related("parent", "territory")
        .only(*CONCRETE_PUBLIC_FIELDS, "parent__slug", "territory__slug")
        .prefetch_related("contacts", "secondary_types")
    )
    serializer_class = ActorSerializer
    linked_data_node = staticmethod(organization)
    lookup_field = "slug"
    filterset_class = ActorFilter
    ordering_fields = ["name", "type", "commune_name", "founded_year", "ended_year", "lifecycle"]
    ordering_aliases = {"name": "sort_name"}

    def retrieve(self, request, *args, **kwargs):
        """A merged actor answers a permanent redirect to the actor it went into."""
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            absorber = Actor.objects.absorber(kwargs["slug"])
            if absorber is None:
                raise
            url = reverse("api:actor-detail", args=[absorber.slug], request=request)
            return HttpResponsePermanentRedirect(url)


@documented(
    "relations",
    filters=RELATION_FILTER_PARAMETERS,
    lookup=RELATION_ID,
    list_summary=_("Relations entre acteurs (relations)"),
    list_description=_(
        "Les relations publiées. Une relation symétrique (partage d'informations, "
        "collaboration) figure une seule fois ; une prestation de service va du prestataire "
        "au bénéficiaire (published relations)."
    ),
    detail_summary=_("Une relation (one relation)"),
)
class RelationViewSet(ReleasedRecords, LinkedDataView, PublicReadViewSet):
    record_kind = "relation"
    queryset = Relation.objects.select_related("source", "target")
    serializer_class = RelationSerializer
    linked_data_node = staticmethod(relation)
    filterset_class = RelationFilter
    ordering_fields = ["id", "type", "start_year", "end_year"]


@documented(
    "territoires",
    filters=TERRITORY_FILTER_PARAMETERS,
    lookup=TERRITORY_SLUG,
    list_summary=_("Territoires (territories)"),
    list_description=_(
        "Régions, départements, EPCI et communes, avec leur code officiel ; le contour de "
        "chacun est servi en GeoJSON (regions, departments, EPCIs, municipalities)."
    ),
    detail_summary=_("Un territoire (one territory)"),
)
class TerritoryViewSet(ReleasedRecords, PublicReadViewSet):
    record_kind = "territory"
    queryset = Territory.objects.select_related("parent").defer(
        "boundary", "min_latitude", "max_latitude", "min_longitude", "max_longitude"
    )
    serializer_class = TerritorySerializer
    lookup_field = "slug"
    filterset_class = TerritoryFilter
    ordering_fields = ["name", "level", "code", "population"]
