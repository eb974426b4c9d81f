"""The documented parameters of the API (French first, English in parentheses): the lists'
filters, written by hand rather than guessed from the filter sets, which serve the map and the
list too, and the identifiers in the paths."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter

from actors.models import ActorType, AdministrativeStatus, Lifecycle, Scope
from opendata.models import VERSION_PATTERN
from relations.models import RelationType
from territories.models import Level


def path_parameter(name: str, kind, description) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.PATH, description=description)


def text(name: str, description) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, description=description)


def repeatable(name: str, choices, description) -> OpenApiParameter:
    """A filter on a choice field, given once per value: ?type=a&type=b."""
    return OpenApiParameter(
        name,
        OpenApiTypes.STR,
        many=True,
        explode=True,
        enum=choices.values,
        description=description,
    )


# Shared by the actors' and the relations' lists (tips_map/filters.py).
# The values the schema promises to accept: a date, or a date and time, of days every month
# has (a 30 February answers 400, which a pattern cannot say); empty, like no filter.
CHANGED_SINCE_PATTERN = (
    r"^([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
    r"(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?)?)?$"
)
CHANGED_SINCE = OpenApiParameter(
    "modifie_depuis",
    OpenApiTypes.STR,
    pattern=CHANGED_SINCE_PATTERN,
    description=_(
        "Seulement ce qui a changé depuis ce moment : une date (2026-11-01, minuit heure de "
        "Paris) ou une date et heure ISO 8601 (2026-11-01T14:30:00+01:00) ; une autre valeur "
        "répond 400 (only what changed since this ISO 8601 date or date-time). Les "
        "suppressions figurent dans /donnees/changements.json (deletions are in the feed)."
    ),
    examples=[
        OpenApiExample("date", value="2026-11-01"),
        OpenApiExample("date-time", value="2026-11-01T14:30:00+01:00"),
    ],
)


ACTOR_FILTER_PARAMETERS = [
    text(
        "q",
        _(
            "Recherche dans le nom, le nom usuel, le sigle, la commune et les missions, sans tenir "
            "compte des accents ni de la casse (accent- and case-insensitive search)."
        ),
    ),
    repeatable(
        "type",
        ActorType,
        _(
            "Type d'acteur, principal ou secondaire ; répétable, les valeurs s'additionnent "
            "(actor type, main or secondary; repeatable)."
        ),
    ),
    text(
        "territoire",
        _(
            "Identifiant d'un territoire (voir /api/territories/) : les acteurs situés dedans, "
            "à toutes les échelles (territory slug: actors located within it)."
        ),
    ),
    repeatable("portee", Scope, _("Portée de l'action ; répétable (scope; repeatable).")),
    repeatable(
        "statut",
        AdministrativeStatus,
        _("Statut administratif ; répétable (administrative status; repeatable)."),
    ),
    repeatable(
        "cycle",
        Lifecycle,
        _(
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
    repeatable(
        "relation",
        RelationType,
        _(
            "Acteurs qui ont au moins une relation de ce type ; répétable "
            "(actors having a relation of this type; repeatable)."
        ),
    ),
    CHANGED_SINCE,
]


RELATION_FILTER_PARAMETERS = [
    repeatable(
        "type", RelationType, _("Type de relation ; répétable (relation type; repeatable).")
    ),
    text(
        "acteur",
        _(
            "Identifiant d'un acteur : ses relations, qu'il en soit la source ou la cible "
            "(actor slug: relations involving it)."
        ),
    ),
    CHANGED_SINCE,
]


TERRITORY_FILTER_PARAMETERS = [
    repeatable(
        "niveau", Level, _("Niveau : région, département, EPCI, commune ; répétable (level).")
    ),
    text(
        "parent",
        _("Identifiant du territoire parent : ses subdivisions directes (parent territory slug)."),
    ),
]


# The identifiers in the paths of the details.
ACTOR_SLUG = path_parameter("slug", OpenApiTypes.STR, _("Identifiant de l'acteur (actor slug)."))
RELATION_ID = path_parameter("id", OpenApiTypes.INT, _("Identifiant de la relation (relation id)."))
TERRITORY_SLUG = path_parameter(
    "slug", OpenApiTypes.STR, _("Identifiant du territoire (territory slug).")
)
CONTRIBUTION_ID = path_parameter(
    "id", OpenApiTypes.INT, _("Numéro de la proposition (proposal number).")
)


# The records of a citable release (opendata/api/versions.py), on every list and detail.
VERSION = OpenApiParameter(
    "version",
    OpenApiTypes.STR,
    pattern=f"^{VERSION_PATTERN}$",
    description=_(
        "Les données telles que publiées dans cette version (voir /donnees/versions/), par "
        "exemple 2027.1 ; une version inconnue répond 404. Avec une version, seuls la "
        "pagination et le format s'appliquent : les filtres et le tri portent sur les "
        "données courantes et répondent 400. L'en-tête X-TIPs-Version nomme la version "
        "servie, ou « non-publiee » (the records of a published release; filters apply to "
        "current data only)."
    ),
    examples=[OpenApiExample("version", value="2027.1")],
)
