"""Actors as the API publishes them: the public fields of the card, nothing else.

Never search_text, sort_name, the history or anything about contributors: the fields are the
model's PUBLIC_FIELDS, so a new model field stays private until it is listed there.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tips_map.serializers import SOURCED_GLOSSES, DescribedModelSerializer, api_url, linked_slug

from .models import PUBLIC_FIELDS, Actor, ActorType, Contact


class SecondaryTypesField(serializers.ListField):
    """The secondary types as a list of keys (the many-to-many is prefetched)."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.ChoiceField(choices=ActorType.choices), **kwargs)

    def to_representation(self, data):
        return [entry.key for entry in data.all()]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["name", "function"]
        extra_kwargs = {
            "name": {"help_text": _("Nom de la personne de contact (contact person's name).")},
            "function": {"help_text": _("Sa fonction (job title).")},
        }


class ActorSerializer(DescribedModelSerializer):
    secondary_types = SecondaryTypesField(
        read_only=True,
        label=_("types secondaires"),
        help_text=_(
            "Autres types dont relève l'acteur ; la carte n'en affiche qu'un "
            "(other types the actor also belongs to)."
        ),
    )
    parent = linked_slug(
        nullable=True,
        label=_("organisation parente"),
        help_text=_(
            "Identifiant de l'organisation dont l'acteur est un service, ou null "
            "(slug of the parent organisation)."
        ),
    )
    territory = linked_slug(
        nullable=True,
        label=_("territoire"),
        help_text=_(
            "Identifiant du territoire le plus fin qui contient l'acteur, voir /api/territories/ "
            "(slug of the finest territory)."
        ),
    )
    contacts = ContactSerializer(
        many=True,
        read_only=True,
        label=_("personnes de contact"),
        help_text=_("Personnes de contact : nom et fonction (contact people)."),
    )
    url = serializers.SerializerMethodField(
        label=_("fiche"),
        help_text=_("Adresse de la fiche publique de l'acteur (public card URL)."),
    )
    api_url = api_url(
        "api:actor-detail", _("Adresse de cet acteur dans l'API (API URL)."), lookup_field="slug"
    )

    english = {
        "name": "name",
        "short_name": "usual name",
        "slug": "identifier, stable",
        "acronym": "acronym",
        "type": "main actor type",
        "type_inferred": "type inferred",
        "status": "administrative status",
        "missions": "missions",
        "scope": "scope",
        "commune_name": "municipality",
        "address": "address",
        "country": "country",
        "latitude": "latitude, WGS 84",
        "longitude": "longitude, WGS 84",
        "location_precision": "location precision",
        "website": "website",
        "siren": "SIREN number of the company register, 9 digits",
        "siret": "SIRET number of the establishment, 14 digits",
        "rna": "number in the register of associations (RNA)",
        "wikidata": "Wikidata item",
        "lifecycle": "life cycle",
        "founded_year": "year founded",
        "ended_year": "year ended",
        **SOURCED_GLOSSES,
    }

    class Meta:
        model = Actor
        fields = [*PUBLIC_FIELDS, "url", "api_url"]
        read_only_fields = fields

    def get_url(self, actor: Actor) -> str:
        return self.absolute(actor.get_absolute_url())
