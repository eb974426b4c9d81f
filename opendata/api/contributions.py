"""Proposals through the API, and their moderation, with the web forms' own rules.

POST /api/contributions/ takes the JSON of a proposal; the web forms (contributions.forms)
validate it, so the rules and the French messages are theirs, and contributions.proposals
records and submits it as it does for the web. Moderators list, validate and refuse with a
token (rest_framework.authtoken) or their session."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from actors.models import PROPOSED_FIELDS, Actor
from contributions import proposals
from contributions.access import IsModerator, moderable
from contributions.emails import site_url_of
from contributions.forms import (
    ActorProposalForm,
    ContributorForm,
    RelationFormSet,
    RelationProposalForm,
    RemovalForm,
)
from contributions.limits import TOO_MANY, retry_after, too_many
from contributions.models import NEW, Contribution, Kind, Status
from contributions.moderation import NotDecided, decide

from .base import ApiPagination
from .parameters import CONTRIBUTION_ID
from .serializers import (
    CONTRIBUTOR_FIELDS,
    DETAIL_RESPONSE,
    ERROR_RESPONSE,
    ContributionProposalSerializer,
    ContributionReceiptSerializer,
    DecisionSerializer,
    ModerationSerializer,
)

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

ACTOR_FORM_FIELDS = [*PROPOSED_FIELDS, "confirm_abroad"]
RELATION_FIELDS = list(RelationProposalForm.base_fields)
LIST_FIELDS = {"secondary_types", "relations"}
ALLOWED_FIELDS = {
    Kind.NEW_ACTOR: {"kind", *ACTOR_FORM_FIELDS, "relations", "not_a_duplicate"},
    Kind.CORRECTION: {"kind", "actor", *ACTOR_FORM_FIELDS, "relations"},
    Kind.RELATION: {"kind", "actor", "relations"},
    Kind.DISAPPEARANCE: {"kind", "actor", "ended_year", "reason"},
    Kind.REMOVAL: {"kind", "actor", "reason"},
}
# What a decision refused for says, and with which status.
NOT_DECIDED = {
    "message": (status.HTTP_400_BAD_REQUEST, "message"),
    "invalid": (status.HTTP_400_BAD_REQUEST, "non_field_errors"),
    "own": (status.HTTP_403_FORBIDDEN, "detail"),
    "decided": (status.HTTP_409_CONFLICT, "detail"),
}


class RequestErrors(Exception):
    def __init__(self, errors: dict, status_code: int = status.HTTP_400_BAD_REQUEST):
        super().__init__(errors)
        self.errors = errors
        self.status_code = status_code


def form_errors(*forms) -> dict:
    """Django forms' errors as DRF writes them: {"field": ["message"]}, and a formset's by
    rank: {"relations": {"0": {…}}}."""
    errors = {}
    for form in forms:
        if isinstance(form, RelationFormSet):
            rows = {str(i): form_errors(f) for i, f in enumerate(form.forms) if f.errors}
            if form.non_form_errors():
                rows["non_field_errors"] = list(form.non_form_errors())
            if rows:
                errors["relations"] = rows
            continue
        for field, messages in form.errors.items():
            errors["non_field_errors" if field == "__all__" else field] = list(messages)
    return errors


def checked(*forms) -> None:
    results = [form.is_valid() for form in forms]  # each of them: every error is said at once
    if not all(results):
        raise RequestErrors(form_errors(*forms))


def is_scalar(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def check_shape(payload) -> Kind:
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
    return Kind(kind)


def target_actor(payload) -> Actor:
    slug = payload.get("actor")
    if not slug:
        raise RequestErrors({"actor": [REQUIRED]})
    actor = Actor.objects.select_related("parent").filter(slug=slug).first()
    if actor is None:
        raise RequestErrors({"actor": [UNKNOWN_ACTOR]})
    return actor


def actor_form(payload, actor: Actor | None = None) -> ActorProposalForm:
    """The web form of the actor's fields: the published values (or the model's defaults for
    a new actor), replaced by what the JSON sends."""
    published = actor.public_values(PROPOSED_FIELDS) if actor else {}
    data = {}
    for field in ACTOR_FORM_FIELDS:
        if field in payload:
            data[field] = payload[field]
        elif field in published:
            data[field] = published[field]
        elif field in PROPOSED_FIELDS and Actor._meta.get_field(field).has_default():
            data[field] = Actor._meta.get_field(field).get_default()
    instance = Actor.objects.get(pk=actor.pk) if actor else None
    return ActorProposalForm(data, instance=instance)


def not_a_duplicate(request, payload, form: ActorProposalForm) -> list[proposals.Similar]:
    """A new actor close to published ones is sent again with not_a_duplicate, as on the web;
    what it looks like is kept in the proposal for the moderators."""
    similar = proposals.similar(form.cleaned_data)
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
    return similar


def check_rate(request, contributor: ContributorForm) -> None:
    if too_many(request._request, contributor.cleaned_data.get("contributor_email", "")):
        raise Throttled(wait=retry_after(), detail=str(TOO_MANY))


def proposal(request, kind: Kind, payload) -> tuple[Contribution, ContributorForm]:
    """The unsaved contribution, validated by the web forms as the web views make it, and its
    contributor's form."""
    contributor = ContributorForm(
        {k: payload[k] for k in CONTRIBUTOR_FIELDS if k in payload}, user=request.user
    )
    actor = None if kind == Kind.NEW_ACTOR else target_actor(payload)
    if kind in (Kind.DISAPPEARANCE, Kind.REMOVAL):
        form = RemovalForm(
            {
                "what": kind.value,
                "ended_year": payload.get("ended_year"),
                "reason": payload.get("reason"),
            }
        )
        try:
            checked(form, contributor)
        except RequestErrors as error:
            error.errors.pop("what", None)
            raise
        check_rate(request, contributor)
        return form.contribution(actor), contributor
    form = actor_form(payload, actor)
    relations = RelationFormSet.from_items(payload.get("relations", []), actor)
    checked(form, relations, contributor)
    if actor is None:
        similar = not_a_duplicate(request, payload, form)
        check_rate(request, contributor)
        contribution = proposals.new_actor(
            form.proposed_values(), relations.proposed_relations(NEW), similar=similar
        )
        return contribution, contributor
    contribution = proposals.correction(
        actor, form.proposed_values(), relations.proposed_relations(actor.slug)
    )
    if contribution is None:
        raise RequestErrors({"non_field_errors": [NOTHING_CHANGED]})
    check_rate(request, contributor)
    return contribution, contributor


def proposal_example(title, values: dict) -> OpenApiExample:
    """A request body of the schema, signed by an author without an account."""
    return OpenApiExample(
        title,
        request_only=True,
        value={
            **values,
            "contributor_name": "Camille Martin",
            "contributor_email": "camille.martin@example.org",
            "email_consent": True,
        },
    )


def decision_schema(summary, description):
    """A moderator's decision on one proposal: its message in, the proposal as decided out."""
    return extend_schema(
        tags=["contributions"],
        summary=summary,
        description=description,
        parameters=[CONTRIBUTION_ID],
        request=DecisionSerializer,
        responses={
            200: ModerationSerializer,
            400: ERROR_RESPONSE,
            403: DETAIL_RESPONSE,
            409: DETAIL_RESPONSE,
        },
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
        parameters=[CONTRIBUTION_ID],
        responses={200: ModerationSerializer, 403: DETAIL_RESPONSE},
    ),
)
class ContributionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Contribution.objects.select_related("actor__territory")
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
            return queryset  # one outside a territory moderator's: 403 (IsModerator)
        queryset = queryset & moderable(self.request.user)
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
            proposal_example(
                _("Nouvel acteur (new actor)"),
                {
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
                },
            ),
            proposal_example(
                _("Correction"),
                {
                    "kind": "correction",
                    "actor": "archipel",
                    "website": "https://archipel.example.org/",
                },
            ),
            proposal_example(
                _("Disparition (disappearance)"),
                {
                    "kind": "disparition",
                    "actor": "archipel",
                    "ended_year": 2023,
                    "reason": "Le service a fermé fin 2023.",
                },
            ),
        ],
    )
    def create(self, request):
        try:
            contribution, contributor = proposal(request, check_shape(request.data), request.data)
        except RequestErrors as error:
            return Response(error.errors, status=error.status_code)
        proposals.submit(
            contribution, contributor.contributor(request.user), site_url_of(request._request)
        )
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
        try:
            decide(
                contribution,
                request.user,
                validate=validate,
                message=decision.validated_data.get("message", ""),
                site_url=site_url_of(request._request),
            )
        except NotDecided as refusal:
            code, key = NOT_DECIDED[refusal.reason]
            said = refusal.message if key == "detail" else [refusal.message]
            return Response({key: said}, status=code)
        return Response(
            ModerationSerializer(contribution, context=self.get_serializer_context()).data
        )

    @decision_schema(
        summary=_("Valider une proposition (validate)"),
        description=_(
            "Réservé aux modérateurs. Applique la proposition aux données publiées, en une seule "
            "transaction, et prévient le contributeur ; 409 si elle est déjà traitée, 403 si "
            "c'est votre propre proposition (moderators only)."
        ),
    )
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        return self._decide(request, validate=True)

    @decision_schema(
        summary=_("Refuser une proposition (refuse)"),
        description=_(
            "Réservé aux modérateurs. Le message au contributeur est obligatoire ; 409 si elle "
            "est déjà traitée, 403 si c'est votre propre proposition (moderators only)."
        ),
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(request, validate=False)
