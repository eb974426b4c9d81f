"""The public API (/api/…): validated data read from anywhere, proposals and moderation written
with the web forms' own rules.

Reading: actors, relations and territories as JSON (paginated, filtered, ordered) and GeoJSON,
documented by an OpenAPI 3 schema. Only the published tables are read and only public fields are
serialised: nothing from contributions reaches a public endpoint.

Writing: POST /api/contributions/ builds the data of the web forms (contributions.forms) from the
JSON body, so the rules and the French messages are the forms' own; the contribution is then
submitted exactly as the web does (contributions.views.submit). Moderators list, validate and
refuse with a token (rest_framework.authtoken) or their session.
"""

import re

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.filters import OrderingFilter
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from actors.filters import ActorFilter
from actors.models import Actor, ActorType, AdministrativeStatus, Lifecycle, Scope
from actors.serializers import ActorSerializer
from contributions import emails
from contributions.forms import (
    ActorProposalForm,
    ContributorForm,
    RelationFormSet,
    RemovalForm,
    actor_public_values,
)
from contributions.models import (
    ACTOR_FIELDS,
    NEW,
    AlreadyDecided,
    Contribution,
    Kind,
    Status,
)
from contributions.views import is_moderator, similar_actors, submit, too_many
from relations.models import Relation, RelationType
from relations.serializers import RelationSerializer
from territories.models import Level, Territory
from territories.serializers import TerritorySerializer
from tips_map.serializers import DescribedModelSerializer

# Reading ------------------------------------------------------------------------------------


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 1000
    page_query_description = _("Numéro de la page de résultats (page number).")
    page_size_query_description = _(
        "Nombre de résultats par page : 50 par défaut, 1000 au plus (page size)."
    )

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        properties = described["properties"]
        properties["count"]["description"] = _("Nombre total de résultats (total count).")
        properties["next"]["description"] = _("Page suivante, ou null (next page).")
        properties["previous"]["description"] = _("Page précédente, ou null (previous page).")
        properties["results"]["description"] = _("Résultats de cette page (this page's results).")
        return described


class DocumentedFilterBackend(DjangoFilterBackend):
    """django-filter, with its parameters documented by hand (OpenApiParameter, in French)
    rather than guessed from the filter sets."""


class DocumentedFilterExtension(OpenApiFilterExtension):
    target_class = "opendata.api.DocumentedFilterBackend"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        return []


class AliasOrderingFilter(OrderingFilter):
    """?ordering= with public names: "name" sorts by the folded name ("École" with the e's)."""

    ordering_description = _(
        "Tri : un ou plusieurs champs séparés par des virgules, précédés de « - » pour l'ordre "
        "décroissant (sort fields, comma-separated, '-' for descending)."
    )

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        aliases = getattr(view, "ordering_aliases", {})
        mapped = []
        for term in ordering:
            name = aliases.get(term.lstrip("-"), term.lstrip("-"))
            field = F(name)
            # Unknown years and the like come last in both directions, on every database.
            mapped.append(
                field.desc(nulls_last=True) if term.startswith("-") else field.asc(nulls_last=True)
            )
        return [*mapped, "pk"]  # a total order keeps pages stable


ORDERING_TEXT = _(
    "Tri : un ou plusieurs champs séparés par des virgules, précédés de « - » pour l'ordre "
    "décroissant (sort, comma-separated, '-' for descending). Champs :"
)


def ordering_parameter(fields: list[str]) -> OpenApiParameter:
    return OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        description=format_lazy("{} {}.", ORDERING_TEXT, ", ".join(fields)),
    )


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


class RelationFilter(django_filters.FilterSet):
    type = django_filters.MultipleChoiceFilter(
        label=_("Type de relation"), choices=RelationType.choices
    )
    acteur = django_filters.CharFilter(label=_("Acteur (identifiant)"), method="filter_actor")

    class Meta:
        model = Relation
        fields = ["type", "acteur"]

    def filter_actor(self, queryset, name, value):
        return queryset.filter(Q(source__slug=value) | Q(target__slug=value)) if value else queryset


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


class TerritoryFilter(django_filters.FilterSet):
    niveau = django_filters.MultipleChoiceFilter(
        label=_("Niveau"), field_name="level", choices=Level.choices
    )
    parent = django_filters.CharFilter(
        label=_("Territoire parent (identifiant)"), field_name="parent__slug"
    )

    class Meta:
        model = Territory
        fields = ["niveau", "parent"]


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


class PublicReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Filters select what a list shows; a detail page shows its object whatever they hide
    (a disappeared actor keeps its card, hidden from the default list)."""

    pagination_class = ApiPagination
    filter_backends = [DocumentedFilterBackend, AliasOrderingFilter]

    def filter_queryset(self, queryset):
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)


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


# GeoJSON ------------------------------------------------------------------------------------


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["geojson", "json"],
    description=_(
        "geojson (application/geo+json, par défaut) ou json (application/json) : même contenu "
        "(response media type)."
    ),
)


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


class GeoJSONView(GenericAPIView):
    renderer_classes = [GeoJSONRenderer, JSONRenderer]
    pagination_class = None
    filter_backends = [DocumentedFilterBackend]


@extend_schema(
    tags=["acteurs"],
    summary=_("Acteurs en GeoJSON (actors as GeoJSON)"),
    description=_(
        "Une FeatureCollection de points (longitude, latitude en WGS 84), un par acteur localisé, "
        "avec les propriétés type, name, slug, commune et url ; mêmes filtres que la liste "
        "(a FeatureCollection of points, same filters as the list)."
    ),
    parameters=[*ACTOR_FILTER_PARAMETERS, FORMAT_PARAMETER],
    responses={
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description=_("FeatureCollection GeoJSON (RFC 7946)."),
            examples=[
                OpenApiExample(
                    "FeatureCollection",
                    value={
                        "type": "FeatureCollection",
                        "features": [
                            {
                                "type": "Feature",
                                "geometry": {"type": "Point", "coordinates": [3.0863, 45.7797]},
                                "properties": {
                                    "type": "cellule_innovation",
                                    "name": "Archipel",
                                    "slug": "archipel",
                                    "commune": "Clermont-Ferrand",
                                    "url": "https://example.org/acteurs/archipel/",
                                },
                            }
                        ],
                    },
                )
            ],
        )
    },
)
class ActorGeoJSONView(GeoJSONView):
    queryset = Actor.objects.all()
    filterset_class = ActorFilter

    def get(self, request):
        rows = (
            self.filter_queryset(self.get_queryset())
            .filter(latitude__isnull=False, longitude__isnull=False)
            .order_by("sort_name")
            .values_list("slug", "name", "type", "commune_name", "latitude", "longitude")
        )
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                "properties": {
                    "type": actor_type,
                    "name": name,
                    "slug": slug,
                    "commune": commune,
                    "url": request.build_absolute_uri(f"/acteurs/{slug}/"),
                },
            }
            for slug, name, actor_type, commune, latitude, longitude in rows
        ]
        return Response(feature_collection(features))


@extend_schema(
    tags=["relations"],
    summary=_("Relations en GeoJSON (relations as GeoJSON)"),
    description=_(
        "Une FeatureCollection de segments (LineString) entre les deux partenaires localisés de "
        "chaque relation, de la source vers la cible, avec les propriétés id, type, source, "
        "target et directed (LineStrings between partners)."
    ),
    parameters=[*RELATION_FILTER_PARAMETERS, FORMAT_PARAMETER],
    responses={
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description=_("FeatureCollection GeoJSON (RFC 7946)."),
            examples=[
                OpenApiExample(
                    "FeatureCollection",
                    value={
                        "type": "FeatureCollection",
                        "features": [
                            {
                                "type": "Feature",
                                "geometry": {
                                    "type": "LineString",
                                    "coordinates": [[3.0863, 45.7797], [4.8354, 45.7677]],
                                },
                                "properties": {
                                    "id": 1,
                                    "type": "prestation_service",
                                    "source": "archipel",
                                    "target": "la-27e-region",
                                    "directed": True,
                                },
                            }
                        ],
                    },
                )
            ],
        )
    },
)
class RelationGeoJSONView(GeoJSONView):
    queryset = Relation.objects.select_related("source", "target").only(
        "id",
        "type",
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
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [
                            [source.longitude, source.latitude],
                            [target.longitude, target.latitude],
                        ],
                    },
                    "properties": {
                        "id": relation.pk,
                        "type": relation.type,
                        "source": source.slug,
                        "target": target.slug,
                        "directed": relation.is_directed,
                    },
                }
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
    parameters=[
        OpenApiParameter(
            "slug",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            description=_("Identifiant du territoire (territory slug)."),
        ),
        FORMAT_PARAMETER,
    ],
    responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Feature GeoJSON."))},
)
class TerritoryGeoJSONView(GeoJSONView):
    queryset = Territory.objects.select_related("parent")
    lookup_field = "slug"
    filter_backends = []

    def get(self, request, slug):
        territory = self.get_object()
        return Response(
            {
                "type": "Feature",
                "geometry": territory.boundary,
                "properties": {
                    "name": territory.name,
                    "slug": territory.slug,
                    "level": territory.level,
                    "code": territory.code,
                    "parent": territory.parent.slug if territory.parent_id else None,
                },
            }
        )


# Writing: proposals ---------------------------------------------------------------------------

NOT_AN_OBJECT = _("Envoyez un objet JSON.")
UNKNOWN_FIELD = _("Champ inconnu pour cette nature de proposition.")
NOT_A_VALUE = _("Valeur invalide : un texte, un nombre ou un booléen est attendu.")
NOT_A_LIST = _("Une liste est attendue.")
NOT_A_RELATION = _("Chaque relation est un objet avec partner, type, direction et description.")
UNKNOWN_ACTOR = _("Aucun acteur de la carte ne porte cet identifiant.")
REQUIRED = _("Ce champ est obligatoire.")
NOTHING_CHANGED = _("Vous n'avez rien modifié : il n'y a rien à proposer.")
SIMILAR = _("Est-ce l'un de ces acteurs, déjà sur la carte ?")
SIMILAR_HOW = _(
    "Si c'est bien un autre acteur, renvoyez la proposition avec « not_a_duplicate » à true."
)
RATE_LIMITED = _(
    "Vous avez envoyé beaucoup de propositions en peu de temps. Pour écarter les envois "
    "automatiques, la carte en limite le nombre par heure : réessayez un peu plus tard."
)
MODERATORS_ONLY = _("Réservé aux modérateurs (membres du groupe Modérateurs).")
REFUSAL_NEEDS_MESSAGE = _("Expliquez le refus au contributeur : le message est obligatoire.")
ALREADY_DECIDED = _("Un autre modérateur a déjà traité cette proposition : rien n'a été modifié.")
OWN_PROPOSAL = _("Vous êtes l'auteur de cette proposition : un autre modérateur doit la traiter.")
CANNOT_APPLY = _("La proposition ne peut pas être appliquée telle quelle : %s")

CONTRIBUTOR_FIELDS = [
    "contributor_name",
    "contributor_email",
    "email_consent",
    "show_name",
    "message",
]
ACTOR_FORM_FIELDS = [*ACTOR_FIELDS, "confirm_abroad"]
RELATION_FIELDS = ["partner", "type", "direction", "description"]
LIST_FIELDS = {"secondary_types", "relations"}
ALLOWED_FIELDS = {
    Kind.NEW_ACTOR: {"kind", *ACTOR_FORM_FIELDS, "relations", "not_a_duplicate"},
    Kind.CORRECTION: {"kind", "actor", *ACTOR_FORM_FIELDS, "relations"},
    Kind.RELATION: {"kind", "actor", "relations"},
    Kind.DISAPPEARANCE: {"kind", "actor", "ended_year", "reason"},
    Kind.REMOVAL: {"kind", "actor", "reason"},
}
RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RequestErrors(Exception):
    def __init__(self, errors: dict, status_code: int = status.HTTP_400_BAD_REQUEST):
        super().__init__(errors)
        self.errors = errors
        self.status_code = status_code


def form_errors(form) -> dict:
    """A Django form's errors as DRF writes them: {"field": ["message"]}."""
    return {
        ("non_field_errors" if field == "__all__" else field): list(messages)
        for field, messages in form.errors.items()
    }


def is_scalar(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def check_shape(payload) -> str:
    """The kind, once the body is a JSON object with known fields of the right shapes."""
    if not isinstance(payload, dict):
        raise RequestErrors({"non_field_errors": [NOT_AN_OBJECT]})
    kind = payload.get("kind")
    if not kind:
        raise RequestErrors({"kind": [REQUIRED]})
    if kind not in Kind.values:
        field = serializers.ChoiceField(choices=Kind.choices)
        raise RequestErrors({"kind": [field.error_messages["invalid_choice"].format(input=kind)]})
    errors = {}
    allowed = ALLOWED_FIELDS[Kind(kind)] | set(CONTRIBUTOR_FIELDS)
    for field, value in payload.items():
        if field not in allowed:
            errors[field] = [UNKNOWN_FIELD]
        elif field in LIST_FIELDS:
            if not isinstance(value, list):
                errors[field] = [NOT_A_LIST]
            elif field == "relations" and not all(
                isinstance(item, dict)
                and set(item) <= set(RELATION_FIELDS)
                and all(is_scalar(v) for v in item.values())
                for item in value
            ):
                errors[field] = [NOT_A_RELATION]
            elif field == "secondary_types" and not all(isinstance(v, str) for v in value):
                errors[field] = [NOT_A_VALUE]
        elif not is_scalar(value):
            errors[field] = [NOT_A_VALUE]
    if errors:
        raise RequestErrors(errors)
    return kind


def target_actor(payload) -> Actor:
    slug = payload.get("actor")
    if not slug:
        raise RequestErrors({"actor": [REQUIRED]})
    actor = Actor.objects.select_related("parent").filter(slug=slug).first()
    if actor is None:
        raise RequestErrors({"actor": [UNKNOWN_ACTOR]})
    return actor


def actor_form_data(payload, published: dict) -> dict:
    """The web form's fields: the published values (or the model defaults for a new actor),
    replaced by what the JSON sends."""
    data = {}
    for field in ACTOR_FORM_FIELDS:
        if field in payload:
            data[field] = payload[field]
        elif field in published:
            data[field] = published[field]
        elif field in ACTOR_FIELDS and Actor._meta.get_field(field).has_default():
            data[field] = Actor._meta.get_field(field).get_default()
    return data


def relation_formset(payload, actor=None):
    items = payload.get("relations", [])
    data = {
        "relations-TOTAL_FORMS": len(items),
        "relations-INITIAL_FORMS": 0,
        "relations-MIN_NUM_FORMS": 0,
        "relations-MAX_NUM_FORMS": 20,
    }
    for index, item in enumerate(items):
        for field in RELATION_FIELDS:
            if field in item:
                data[f"relations-{index}-{field}"] = item[field]
    formset = RelationFormSet(data, prefix="relations")
    formset.actor = actor
    return formset


def formset_errors(formset) -> dict:
    errors = {}
    items = {
        str(index): form_errors(form) for index, form in enumerate(formset.forms) if form.errors
    }
    if items:
        errors["relations"] = items
    if formset.non_form_errors():
        errors.setdefault("relations", {})["non_field_errors"] = list(formset.non_form_errors())
    return errors


def rate_period(rate: str) -> int:
    """Seconds of a django-ratelimit rate: "20/h" -> 3600, "5/10m" -> 600."""
    match = re.fullmatch(r"\s*\d+\s*/\s*(\d*)\s*([smhd])\w*\s*", str(rate))
    if not match:
        return 3600
    return int(match[1] or 1) * RATE_UNITS[match[2]]


def check_rate(request, email: str) -> None:
    if too_many(request._request, email):
        wait = max(
            rate_period(settings.TIPS_CONTRIBUTIONS_PER_IP),
            rate_period(settings.TIPS_CONTRIBUTIONS_PER_EMAIL),
        )
        raise Throttled(wait=wait, detail=str(RATE_LIMITED))


def build_contribution(request, payload, contributor: ContributorForm) -> Contribution:
    """The unsaved contribution, validated by the web forms, as the web views build it."""
    kind = Kind(payload["kind"])
    errors = {}
    if kind == Kind.NEW_ACTOR:
        actor_form = ActorProposalForm(actor_form_data(payload, {}))
        relations = relation_formset(payload)
        valid = all([actor_form.is_valid(), relations.is_valid(), contributor.is_valid()])
        if not valid:
            raise RequestErrors(
                {**form_errors(actor_form), **formset_errors(relations), **form_errors(contributor)}
            )
        name = actor_form.cleaned_data["name"]
        similar = similar_actors(
            name,
            latitude=actor_form.cleaned_data.get("latitude"),
            longitude=actor_form.cleaned_data.get("longitude"),
        )
        if similar and payload.get("not_a_duplicate") is not True:
            raise RequestErrors(
                {
                    "not_a_duplicate": [SIMILAR, SIMILAR_HOW],
                    "similar": [
                        {
                            "slug": actor.slug,
                            "name": actor.name,
                            "commune": actor.commune_name,
                            "url": request.build_absolute_uri(actor.get_absolute_url()),
                        }
                        for actor in similar
                    ],
                }
            )
        check_rate(request, contributor.cleaned_data.get("contributor_email", ""))
        return Contribution(
            kind=Kind.NEW_ACTOR,
            actor_label=name,
            proposed={
                "actor": actor_form.proposed_values(),
                "relations": relations.proposed_relations(NEW),
            },
        )

    actor = target_actor(payload)
    if kind in (Kind.CORRECTION, Kind.RELATION):
        published = actor_public_values(actor)
        actor_form = ActorProposalForm(
            actor_form_data(payload, published), instance=Actor.objects.get(pk=actor.pk)
        )
        relations = relation_formset(payload, actor)
        valid = all([actor_form.is_valid(), relations.is_valid(), contributor.is_valid()])
        if not valid:
            raise RequestErrors(
                {**form_errors(actor_form), **formset_errors(relations), **form_errors(contributor)}
            )
        changed = actor_form.changed_values()
        new_relations = relations.proposed_relations(actor.slug)
        if not changed and not new_relations:
            raise RequestErrors({"non_field_errors": [NOTHING_CHANGED]})
        check_rate(request, contributor.cleaned_data.get("contributor_email", ""))
        return Contribution(
            kind=Kind.CORRECTION if changed else Kind.RELATION,
            actor=actor,
            actor_label=actor.name,
            proposed={"actor": changed, "relations": new_relations},
            snapshot={k: published[k] for k in changed},
        )

    form = RemovalForm(
        {
            "what": kind.value,
            "ended_year": payload.get("ended_year"),
            "reason": payload.get("reason"),
        }
    )
    valid = all([form.is_valid(), contributor.is_valid()])
    if not valid:
        errors = {**form_errors(form), **form_errors(contributor)}
        errors.pop("what", None)
        raise RequestErrors(errors)
    check_rate(request, contributor.cleaned_data.get("contributor_email", ""))
    proposed = form.proposed_values(actor)
    snapshot = actor_public_values(actor)
    contribution = Contribution(
        kind=kind,
        actor=actor,
        actor_label=actor.name,
        proposed=proposed,
        snapshot={k: snapshot[k] for k in proposed.get("actor", {})},
    )
    contribution.message = proposed["reason"]
    return contribution


class IsModerator(BasePermission):
    message = MODERATORS_ONLY

    def has_permission(self, request, view):
        return is_moderator(request.user)


# Serializers of the write side: they document the JSON; the web forms validate it.


class RelationProposalSerializer(serializers.Serializer):
    partner = serializers.CharField(
        help_text=_(
            "Identifiant (slug) ou nom exact d'un acteur publié (partner actor's slug or name)."
        )
    )
    type = serializers.ChoiceField(
        choices=RelationType.choices, help_text=_("Type de relation (relation type).")
    )
    direction = serializers.ChoiceField(
        choices=[("sortante", "sortante"), ("entrante", "entrante")],
        required=False,
        help_text=_(
            "Pour une prestation de service : « sortante » si l'acteur rend service au "
            "partenaire (par défaut), « entrante » si le partenaire rend service à l'acteur "
            "(direction of a service provision)."
        ),
    )
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text=_("Description de la relation (description)."),
    )


class ContributionProposalSerializer(DescribedModelSerializer):
    kind = serializers.ChoiceField(
        choices=Kind.choices,
        help_text=_(
            "Nature de la proposition (kind): nouvel_acteur (champs de l'acteur et relations), "
            "correction (acteur visé, champs à changer, relations à ajouter), relation (acteur "
            "visé et relations), disparition (acteur visé, reason, ended_year), suppression "
            "(acteur visé, reason)."
        ),
    )
    actor = serializers.CharField(
        required=False,
        help_text=_(
            "Identifiant de l'acteur visé, sauf pour un nouvel acteur (target actor's slug)."
        ),
    )
    secondary_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ActorType.choices),
        required=False,
        help_text=_("Types secondaires (secondary types)."),
    )
    parent = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_(
            "Organisation parente : identifiant ou nom exact d'un acteur publié "
            "(parent organisation's slug or name)."
        ),
    )
    confirm_abroad = serializers.BooleanField(
        required=False,
        help_text=_(
            "À mettre à true pour confirmer des coordonnées hors de France "
            "(confirm a location abroad)."
        ),
    )
    not_a_duplicate = serializers.BooleanField(
        required=False,
        help_text=_(
            "Nouvel acteur : à mettre à true quand la réponse 400 a signalé des acteurs proches "
            "et qu'il s'agit bien d'un autre acteur (not a duplicate of the similar actors)."
        ),
    )
    relations = serializers.ListField(
        child=RelationProposalSerializer(),
        required=False,
        help_text=_("Relations proposées avec des acteurs publiés (proposed relations)."),
    )
    reason = serializers.CharField(
        required=False,
        max_length=3000,
        help_text=_("Disparition ou suppression : le motif (reason), obligatoire."),
    )
    contributor_name = serializers.CharField(
        required=False,
        max_length=200,
        help_text=_("Votre nom ; obligatoire sans compte (your name, required without account)."),
    )
    contributor_email = serializers.EmailField(
        required=False,
        help_text=_(
            "Votre adresse électronique, jamais publiée ; obligatoire sans compte : un lien de "
            "confirmation y est envoyé (your email, never published)."
        ),
    )
    email_consent = serializers.BooleanField(
        required=False,
        help_text=_(
            "Sans compte : true pour accepter que la chaire utilise cette adresse pour cette "
            "proposition (consent, required without account)."
        ),
    )
    show_name = serializers.BooleanField(
        required=False,
        help_text=_(
            "Afficher votre nom dans l'historique public de la fiche (show your name publicly)."
        ),
    )
    message = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=3000,
        help_text=_("Message pour les modérateurs : sources, précisions (message)."),
    )

    class Meta:
        model = Actor
        fields = [
            "kind",
            "actor",
            *ACTOR_FIELDS,
            "confirm_abroad",
            "not_a_duplicate",
            "relations",
            "reason",
            *CONTRIBUTOR_FIELDS,
        ]
        extra_kwargs = {
            field: {"required": False}
            for field in ACTOR_FIELDS
            if field not in ("secondary_types", "parent")
        }
        extra_kwargs["ended_year"]["help_text"] = _(
            "Année de disparition ; aussi pour une proposition de disparition (year ended)."
        )
        validators = []


class ContributionReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("Numéro de la proposition (proposal number)."))
    status = serializers.ChoiceField(
        choices=Status.choices,
        help_text=_(
            "a_confirmer : un lien de confirmation est envoyé à l'adresse indiquée ; "
            "en_attente : la proposition attend la modération (status)."
        ),
    )
    follow_url = serializers.URLField(
        help_text=_(
            "Lien privé de suivi : la décision, et le retrait tant qu'elle attend "
            "(private follow link, keep it secret)."
        )
    )


class ModerationSerializer(DescribedModelSerializer):
    actor = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        help_text=_(
            "Identifiant de l'acteur concerné, ou de l'acteur créé une fois validée "
            "(slug of the actor concerned)."
        ),
    )
    moderation_url = serializers.SerializerMethodField(
        help_text=_("Page de modération de la proposition (moderation page URL).")
    )

    english = {
        "id": "proposal number",
        "kind": "kind",
        "status": "status",
        "actor_label": "actor's name",
        "proposed": "proposed values",
        "snapshot": "published values when proposed",
        "message": "contributor's message",
        "contributor_name": "contributor's name",
        "contributor_email": "contributor's email, for moderators only",
        "show_name": "name shown in public history",
        "created_at": "proposed on",
        "confirmed_at": "confirmed on",
        "decided_at": "decided on",
        "decision_message": "decision message",
    }

    class Meta:
        model = Contribution
        fields = [
            "id",
            "kind",
            "status",
            "actor",
            "actor_label",
            "proposed",
            "snapshot",
            "message",
            "contributor_name",
            "contributor_email",
            "show_name",
            "created_at",
            "confirmed_at",
            "decided_at",
            "decision_message",
            "moderation_url",
        ]
        read_only_fields = fields
        extra_kwargs = {"id": {"help_text": _("Numéro de la proposition (proposal number).")}}

    def get_moderation_url(self, contribution: Contribution) -> str:
        request = self.context.get("request")
        path = contribution.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class DecisionSerializer(serializers.Serializer):
    message = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_(
            "Message au contributeur ; obligatoire pour un refus (message to the contributor, "
            "required to refuse)."
        ),
    )


ERROR_RESPONSE = inline_serializer(
    "FieldErrors",
    fields={
        "field": serializers.ListField(
            child=serializers.CharField(),
            help_text=_(
                "Pour chaque champ en erreur, la liste des messages ; non_field_errors pour "
                "l'ensemble (messages per field)."
            ),
        )
    },
)
DETAIL_RESPONSE = inline_serializer(
    "Detail",
    fields={"detail": serializers.CharField(help_text=_("Explication (explanation)."))},
)
ID_PARAMETER = OpenApiParameter(
    "id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description=_("Numéro de la proposition (proposal number)."),
)


@extend_schema_view(
    list=extend_schema(
        tags=["contributions"],
        summary=_("Propositions à modérer (moderation queue)"),
        description=_(
            "Réservé aux modérateurs (jeton : en-tête « Authorization: Token … »). Les "
            "propositions en attente, les plus anciennes d'abord, ou celles du statut demandé "
            "(moderators only)."
        ),
        parameters=[
            OpenApiParameter(
                "statut",
                OpenApiTypes.STR,
                enum=Status.values,
                description=_(
                    "Statut des propositions listées : en_attente par défaut (status listed)."
                ),
            )
        ],
        responses={200: ModerationSerializer(many=True), 403: DETAIL_RESPONSE},
    ),
    retrieve=extend_schema(
        tags=["contributions"],
        summary=_("Une proposition (one proposal)"),
        description=_("Réservé aux modérateurs (moderators only)."),
        parameters=[ID_PARAMETER],
        responses={200: ModerationSerializer, 403: DETAIL_RESPONSE},
    ),
)
class ContributionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Contribution.objects.select_related("actor")
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]
    filter_backends = []
    pagination_class = ApiPagination

    def get_permissions(self):
        return [AllowAny()] if self.action == "create" else [IsModerator()]

    def get_serializer_class(self):
        if self.action == "create":
            return ContributionProposalSerializer
        if self.action in ("validate", "refuse"):
            return DecisionSerializer
        return ModerationSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        wanted = self.request.query_params.get("statut", Status.PENDING)
        order = (
            "created_at"
            if wanted in (Status.AWAITING_CONFIRMATION, Status.PENDING)
            else "-decided_at"
        )
        return queryset.filter(status=wanted).order_by(order, "pk")

    @extend_schema(
        tags=["contributions"],
        summary=_("Proposer (propose a change)"),
        description=_(
            "Les mêmes propositions que le formulaire du site, avec les mêmes règles et les mêmes "
            "messages : nouvel acteur avec ses relations, correction, relation, disparition, "
            "suppression. Sans compte, un lien de confirmation est envoyé à contributor_email et "
            "la proposition attend sa confirmation ; avec un compte (session ou jeton), elle va "
            "directement aux modérateurs. Le nombre de propositions est limité par adresse IP et "
            "par adresse électronique : au-delà, réponse 429 avec l'en-tête Retry-After "
            "(submit a proposal, as the web form does)."
        ),
        request=ContributionProposalSerializer,
        responses={
            201: ContributionReceiptSerializer,
            400: OpenApiResponse(
                ERROR_RESPONSE,
                description=_(
                    'Champs invalides : {"champ": ["message"]} ; pour les relations, par '
                    "rang ; similar liste les acteurs proches (invalid fields)."
                ),
            ),
            429: OpenApiResponse(
                DETAIL_RESPONSE,
                description=_("Trop de propositions : réessayer après Retry-After secondes."),
            ),
        },
        examples=[
            OpenApiExample(
                _("Nouvel acteur (new actor)"),
                request_only=True,
                value={
                    "kind": "nouvel_acteur",
                    "name": "Laboratoire citoyen de Vichy",
                    "type": "cellule_innovation",
                    "missions": "Expérimenter des services publics avec les habitants.",
                    "commune_name": "Vichy",
                    "latitude": 46.1277,
                    "longitude": 3.4259,
                    "relations": [
                        {"partner": "archipel", "type": "collaboration", "description": ""}
                    ],
                    "contributor_name": "Camille Martin",
                    "contributor_email": "camille.martin@example.org",
                    "email_consent": True,
                },
            ),
            OpenApiExample(
                _("Correction"),
                request_only=True,
                value={
                    "kind": "correction",
                    "actor": "archipel",
                    "website": "https://archipel.example.org/",
                    "contributor_name": "Camille Martin",
                    "contributor_email": "camille.martin@example.org",
                    "email_consent": True,
                },
            ),
            OpenApiExample(
                _("Disparition (disappearance)"),
                request_only=True,
                value={
                    "kind": "disparition",
                    "actor": "archipel",
                    "ended_year": 2023,
                    "reason": "Le service a fermé fin 2023.",
                    "contributor_name": "Camille Martin",
                    "contributor_email": "camille.martin@example.org",
                    "email_consent": True,
                },
            ),
        ],
    )
    def create(self, request):
        payload = request.data
        try:
            check_shape(payload)
            contributor = ContributorForm(
                {k: payload[k] for k in CONTRIBUTOR_FIELDS if k in payload}, user=request.user
            )
            contribution = build_contribution(request, payload, contributor)
        except RequestErrors as error:
            return Response(error.errors, status=error.status_code)
        submit(request._request, contribution, contributor)
        return Response(
            ContributionReceiptSerializer(
                {
                    "id": contribution.pk,
                    "status": contribution.status,
                    "follow_url": request.build_absolute_uri(contribution.get_follow_url()),
                }
            ).data,
            status=status.HTTP_201_CREATED,
        )

    def _decide(self, request, validate: bool):
        contribution = self.get_object()
        decision = DecisionSerializer(data=request.data if isinstance(request.data, dict) else {})
        decision.is_valid(raise_exception=True)
        message = decision.validated_data.get("message", "").strip()
        if not validate and not message:
            return Response({"message": [REFUSAL_NEEDS_MESSAGE]}, status=400)
        try:
            contribution.decide(request.user, validate=validate, message=message)
        except AlreadyDecided:
            return Response({"detail": ALREADY_DECIDED}, status=status.HTTP_409_CONFLICT)
        except PermissionError:
            return Response({"detail": OWN_PROPOSAL}, status=status.HTTP_403_FORBIDDEN)
        except ValidationError as error:
            return Response(
                {"non_field_errors": [CANNOT_APPLY % " ".join(error.messages)]}, status=400
            )
        emails.send_decision(request._request, contribution)
        return Response(
            ModerationSerializer(contribution, context=self.get_serializer_context()).data
        )

    @extend_schema(
        tags=["contributions"],
        summary=_("Valider une proposition (validate)"),
        description=_(
            "Réservé aux modérateurs. Applique la proposition aux données publiées, en une seule "
            "transaction, et prévient le contributeur ; 409 si elle est déjà traitée, 403 si "
            "c'est votre propre proposition (moderators only)."
        ),
        parameters=[ID_PARAMETER],
        request=DecisionSerializer,
        responses={
            200: ModerationSerializer,
            400: ERROR_RESPONSE,
            403: DETAIL_RESPONSE,
            409: DETAIL_RESPONSE,
        },
    )
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        return self._decide(request, validate=True)

    @extend_schema(
        tags=["contributions"],
        summary=_("Refuser une proposition (refuse)"),
        description=_(
            "Réservé aux modérateurs. Le message au contributeur est obligatoire ; 409 si elle "
            "est déjà traitée, 403 si c'est votre propre proposition (moderators only)."
        ),
        parameters=[ID_PARAMETER],
        request=DecisionSerializer,
        responses={
            200: ModerationSerializer,
            400: ERROR_RESPONSE,
            403: DETAIL_RESPONSE,
            409: DETAIL_RESPONSE,
        },
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(request, validate=False)


# Schema and documentation ----------------------------------------------------------------------


class SchemaView(SpectacularAPIView):
    # One named enum per set of choices, instead of colliding "TypeEnum"s.
    custom_settings = {
        "ENUM_NAME_OVERRIDES": {
            "ActorTypeEnum": "actors.models.ActorType",
            "AdministrativeStatusEnum": "actors.models.AdministrativeStatus",
            "ScopeEnum": "actors.models.Scope",
            "LifecycleEnum": "actors.models.Lifecycle",
            "LocationPrecisionEnum": "actors.models.LocationPrecision",
            "ProvenanceEnum": "tips_map.sources.ProvenanceKind",
            "RelationTypeEnum": "relations.models.RelationType",
            "LevelEnum": "territories.models.Level",
            "ContributionKindEnum": "contributions.models.Kind",
            "ContributionStatusEnum": "contributions.models.Status",
        },
    }


class DocsView(SpectacularSwaggerView):
    url_name = "api:schema"
