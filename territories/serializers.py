"""Territories as the API publishes them; the boundary itself is served as GeoJSON apart."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tips_map.serializers import DescribedModelSerializer, api_url, linked_slug

from .models import Territory


class TerritorySerializer(DescribedModelSerializer):
    parent = linked_slug(
        nullable=True,
        label=_("territoire parent"),
        help_text=_(
            "Identifiant du territoire qui le contient, null pour une région "
            "(slug of the enclosing territory)."
        ),
    )
    url = serializers.SerializerMethodField(
        label=_("page"),
        help_text=_("Adresse de la page publique du territoire (public page URL)."),
    )
    api_url = api_url(
        "api:territory-detail", _("Adresse de ce territoire dans l'API (API URL)."), "slug"
    )
    geojson_url = serializers.SerializerMethodField(
        label=_("contour"),
        help_text=_("Adresse du contour en GeoJSON (boundary as a GeoJSON Feature)."),
    )

    english = {
        "name": "name",
        "slug": "identifier, stable",
        "level": "level",
        "code": "official code",
        "center_latitude": "latitude of the centre",
        "center_longitude": "longitude of the centre",
        "population": "population",
    }

    class Meta:
        model = Territory
        fields = [
            "slug",
            "name",
            "level",
            "code",
            "parent",
            "center_latitude",
            "center_longitude",
            "population",
            "url",
            "api_url",
            "geojson_url",
        ]
        read_only_fields = fields

    def get_url(self, territory: Territory) -> str:
        return self.absolute(territory.get_absolute_url())

    def get_geojson_url(self, territory: Territory) -> str:
        return self.absolute(reverse("api:territory-geojson", args=[territory.slug]))
