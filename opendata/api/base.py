"""What every endpoint of the API shares: pagination, filters, ordering, GeoJSON."""

from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer


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
    target_class = "opendata.api.base.DocumentedFilterBackend"
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


class PublicReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Filters select what a list shows; a detail page shows its object whatever they hide
    (a disappeared actor keeps its card, hidden from the default list)."""

    pagination_class = ApiPagination
    filter_backends = [DocumentedFilterBackend, AliasOrderingFilter]

    def filter_queryset(self, queryset):
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)


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


def feature(geometry: dict | None, properties: dict) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


class GeoJSONView(GenericAPIView):
    renderer_classes = [GeoJSONRenderer, JSONRenderer]
    pagination_class = None
    filter_backends = [DocumentedFilterBackend]
