"""What every endpoint of the API shares: pagination, filters, ordering, GeoJSON."""

import zlib

from django.db.models import F, Subquery
from django.utils.cache import get_conditional_response, patch_vary_headers, quote_etag
from django.utils.http import http_date
from django.utils.text import format_lazy
from django.utils.translation import get_language
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

from actors.models import data_date, data_datetime
from opendata.exports import citation, licence
from opendata.models import Release
from tips_map.models import ROW_ID, DataVersion

from . import versions
from .errors import InvalidParameters, use_api_language


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 1000
    page_query_description = _("Numéro de la page de résultats (page number).")
    page_size_query_description = _(
        "Nombre de résultats par page : 50 par défaut, 1000 au plus (page size)."
    )

    def get_page_size(self, request):
        """A page size that is not a whole number from 1 to 1000 is a 400, not the default or
        the maximum in silence."""
        values = request.query_params.getlist(self.page_size_query_param)
        valid = (
            len(values) == 1 and values[0].isdigit() and 1 <= int(values[0]) <= self.max_page_size
        )
        if values and not valid:
            message = _("Nombre entier de 1 à %(max)d attendu.") % {"max": self.max_page_size}
            raise InvalidParameters({self.page_size_query_param: [message]}, detail=message)
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

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
    rather than guessed from the filter sets; a wrong value is a 400 naming the parameter."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise InvalidParameters(filterset.errors)
        return filterset.qs


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


class PublishedDataView:
    """What every read of the published data shares (a mixin of DRF views):

    - an unknown query parameter is a 400 naming it and listing the known ones, by kind;
    - ETag (the data version, per language and Accept header) and Last-Modified (when it last moved) on every
      answer, and a conditional GET answers 304 Not Modified."""

    def known_parameters(self) -> dict[str, list[str]]:
        known = {_("format"): ["format"]}
        if getattr(self, "action", None) == "retrieve" or getattr(self, "lookup_field", "") in (
            self.kwargs or {}
        ):
            return known
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None and self.filter_backends:
            known[_("filtres")] = list(filterset_class.base_filters)
        if self.pagination_class is not None:
            paginator = self.pagination_class
            known[_("pagination")] = [paginator.page_query_param, paginator.page_size_query_param]
        if AliasOrderingFilter in self.filter_backends:
            known[_("tri")] = ["ordering"]
        return known

    def check_parameters(self, request):
        known = self.known_parameters()
        names = {name for names in known.values() for name in names}
        unknown = sorted(set(request.query_params) - names)
        if unknown:
            listing = " ; ".join(f"{kind} : {', '.join(names)}" for kind, names in known.items())
            message = _("Paramètre inconnu. Paramètres reconnus — %(known)s.") % {"known": listing}
            raise InvalidParameters({name: [message] for name in unknown}, detail=message)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_parameters(request)

    def dispatch(self, request, *args, **kwargs):
        use_api_language(request)
        validators = data_validators() if request.method in ("GET", "HEAD") else None
        if validators is None:
            return super().dispatch(request, *args, **kwargs)
        version, last_modified, released = validators
        # One representation per data version, release, language and Accept header: JSON and
        # JSON-LD negotiated on one address must not share an ETag (RFC 9110, 8.8.3).
        accept = zlib.crc32(request.headers.get("Accept", "").encode())
        etag = quote_etag(f"{version}-{released}-{get_language()}-{accept:08x}")
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            response = super().dispatch(request, *args, **kwargs)
        if response.status_code in (200, 304):
            response.headers["ETag"] = etag
            response.headers["Last-Modified"] = http_date(last_modified)
            patch_vary_headers(response, ["Accept", "Accept-Language"])
            response.headers.setdefault(versions.HEADER, released)  # ?version= set its own
        return response


def data_validators() -> tuple[str, int, str] | None:
    """The data version, the moment it last moved and the release the data is ("non-publiee"
    unless the latest release froze this data version), in one query; None between a flush
    and post_migrate.

    The version and its moment move with every published change, in the database's triggers
    (tips_map/models.py): deleting, merging, restoring, a territory's edit. The latest
    `updated_at` would not move on a deletion or a territory's edit, and would go back on a
    dump's reload: a client asking If-Modified-Since would be told 304 for data that changed."""
    latest_release = Release.objects.all()  # newest first, its Meta.ordering
    row = (
        DataVersion.objects.filter(pk=ROW_ID)
        .annotate(
            release=Subquery(latest_release.values("version")[:1]),
            release_data=Subquery(latest_release.values("data_version")[:1]),
        )
        .values_list("epoch", "number", "changed_at", "release", "release_data")
        .first()
    )
    if row is None:
        return None
    epoch, number, moment, release, release_data = row
    version = f"{epoch.hex}:{number}"
    released = release if release and release_data == version else versions.UNRELEASED
    return version, int(moment.timestamp()), released


class PublicReadViewSet(PublishedDataView, viewsets.ReadOnlyModelViewSet):
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


def published(collection: dict) -> dict:
    """A FeatureCollection with the licence, citation and date of /donnees/acteurs.geojson."""
    moment = data_datetime()
    return {
        "type": collection["type"],
        "licence": licence(),
        "attribution": citation(data_date(moment)),
        "date": moment.isoformat(),
        "features": collection["features"],
    }


class GeoJSONView(PublishedDataView, GenericAPIView):
    renderer_classes = [GeoJSONRenderer, JSONRenderer]
    pagination_class = None
    filter_backends = [DocumentedFilterBackend]
