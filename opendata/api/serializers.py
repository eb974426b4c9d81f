"""The write side's shapes: they document the JSON in the schema; the web forms validate it."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from actors.identifiers import IDENTIFIER_FIELDS
from actors.models import PROPOSED_FIELDS, Actor, ActorType
from contributions.forms import ContributorForm
from contributions.models import Contribution, Kind, Status
from relations.models import RelationType
from tips_map.serializers import DescribedModelSerializer

# The contributor's fields of the JSON: the web form's, but its honeypot.
CONTRIBUTOR_FIELDS = [name for name in ContributorForm.base_fields if name != "telephone_fixe"]


def optional_text(help_text, **options) -> serializers.CharField:
    """A text the JSON may leave out or send empty."""
    return serializers.CharField(required=False, allow_blank=True, help_text=help_text, **options)


def optional_flag(help_text) -> serializers.BooleanField:
    return serializers.BooleanField(required=False, help_text=help_text)


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
    description = optional_text(_("Description de la relation (description)."), max_length=1000)


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
    parent = optional_text(
        _(
            "Organisation parente : identifiant ou nom exact d'un acteur publié "
            "(parent organisation's slug or name)."
        )
    )
    confirm_abroad = optional_flag(
        _(
            "À mettre à true pour confirmer des coordonnées hors de France "
            "(confirm a location abroad)."
        )
    )
    not_a_duplicate = optional_flag(
        _(
            "Nouvel acteur : à mettre à true quand la réponse 400 a signalé des acteurs proches "
            "et qu'il s'agit bien d'un autre acteur (not a duplicate of the similar actors)."
        )
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
    email_consent = optional_flag(
        _(
            "Sans compte : true pour accepter que la chaire utilise cette adresse pour cette "
            "proposition (consent, required without account)."
        )
    )
    show_name = optional_flag(
        _("Afficher votre nom dans l'historique public de la fiche (show your name publicly).")
    )
    message = optional_text(
        _("Message pour les modérateurs : sources, précisions (message)."), max_length=3000
    )

    class Meta:
        model = Actor
        fields = [
            "kind",
            "actor",
            *PROPOSED_FIELDS,
            "confirm_abroad",
            "not_a_duplicate",
            "relations",
            "reason",
            *CONTRIBUTOR_FIELDS,
        ]
        # The registers' numbers may come with the separators people type ("732 829 320") or as
        # a whole Wikidata address: the model normalises them, so no length is promised for them.
        extra_kwargs = {
            field: {
                "required": False,
                **({"max_length": None} if field in IDENTIFIER_FIELDS else {}),
            }
            for field in PROPOSED_FIELDS
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
        return self.absolute(contribution.get_absolute_url())


class DecisionSerializer(serializers.Serializer):
    message = optional_text(
        _(
            "Message au contributeur ; obligatoire pour un refus (message to the contributor, "
            "required to refuse)."
        )
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
