"""Relations as the API publishes them: partners by slug, type, direction and sources."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tips_map.serializers import SOURCED_GLOSSES, DescribedModelSerializer, api_url, linked_slug

from .models import PUBLIC_FIELDS, Relation


class RelationSerializer(DescribedModelSerializer):
    source = linked_slug(
        label=_("acteur source"),
        help_text=_(
            "Identifiant de l'acteur source ; pour une prestation de service, le prestataire "
            "(source actor's slug; the provider for a service provision)."
        ),
    )
    target = linked_slug(
        label=_("acteur cible"),
        help_text=_(
            "Identifiant de l'acteur cible ; pour une prestation de service, le bénéficiaire "
            "(target actor's slug; the beneficiary for a service provision)."
        ),
    )
    source_name = serializers.CharField(
        source="source.name",
        read_only=True,
        label=_("nom de l'acteur source"),
        help_text=_("Nom de l'acteur source (source actor's name)."),
    )
    target_name = serializers.CharField(
        source="target.name",
        read_only=True,
        label=_("nom de l'acteur cible"),
        help_text=_("Nom de l'acteur cible (target actor's name)."),
    )
    directed = serializers.BooleanField(
        source="is_directed",
        read_only=True,
        label=_("orientée"),
        help_text=_(
            "Vrai pour une prestation de service (de la source vers la cible) ; les autres "
            "relations sont symétriques (true when the relation has a direction)."
        ),
    )
    api_url = api_url("api:relation-detail", _("Adresse de cette relation dans l'API (API URL)."))

    english = {
        "id": "identifier",
        "type": "relation type",
        "description": "description",
        "start_year": "start year",
        "end_year": "end year",
        "ended": "ended, even if its end year is unknown",
        "origin": "origin: declared by one party, by both, observed in a document, inferred",
        "evidence_quote": "quote establishing it",
        "evidence_url": "link to its evidence",
        **SOURCED_GLOSSES,
    }

    class Meta:
        model = Relation
        fields = [
            "id",
            "type",
            "directed",
            "source",
            "source_name",
            "target",
            "target_name",
            *[f for f in PUBLIC_FIELDS if f not in ("source", "target", "type")],
            "api_url",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": _("Identifiant de la relation (relation id).")},
        }
