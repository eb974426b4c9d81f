"""How the report and GoGoCarto maps name things: types, statuses, relation types, life
cycles, places, read into the model's keys."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from actors.models import Actor, ActorType, AdministrativeStatus, Lifecycle, Scope
from contributions.forms import in_france
from relations.models import RelationType
from territories.models import Level, Territory
from tips_map import coordinates
from tips_map.text import fold

from .report import BadOption

# Normalising names --------------------------------------------------------------------------


def norm(text: str) -> str:
    """Fold, and treat hyphens, underscores, apostrophes and dots as spaces: for lookups."""
    text = fold(str(text or "")).replace("’", "'")
    text = re.sub(r"[-_'.·/]+", " ", text)
    text = re.sub(r"\bst\b", "saint", text)
    text = re.sub(r"\bste\b", "sainte", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_pairs(pairs, what: str) -> dict:
    """["Nom de colonne=champ", …] -> {norm("Nom de colonne"): "champ"}."""
    result = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise BadOption(f"{what} « {pair} » : attendu « nom=valeur »")
        name, _eq, value = pair.rpartition("=")
        if not name.strip():
            raise BadOption(f"{what} « {pair} » : nom vide")
        result[norm(name)] = value.strip()
    return result


# Actor types, statuses, relation types ------------------------------------------------------

# Names under which the report and the chair's map name each type: the annex's numbered cells
# ("1. Cellule d'innovation"), the typology's headings (l.798-847), the map legend (l.2270-2277).
TYPE_NAMES = {
    ActorType.CELLULE_INNOVATION: [
        "Cellule d'innovation",
        "Cellules publiques d'innovation",
        "Les cellules publiques d'innovation",
        "Cellule publique d'innovation",
    ],
    ActorType.PROMOTION_ACCOMPAGNEMENT: [
        "Les acteurs de promotion et d'accompagnement",
        "Acteur de promotion et d'accompagnement",
        "Acteurs de promotion et d'accompagnement",
    ],
    ActorType.INTERMEDIATION: [
        "Les faiseurs d'intermédiation",
        "Faiseur d'intermédiation",
        "Faiseurs d'intermédiation",
    ],
    ActorType.FORMATION_RECHERCHE: [
        "Les structures de formation-recherche",
        "Structure de formation-recherche",
        "Structures de formation-recherche",
    ],
    ActorType.PRESTATAIRE: [
        "Les prestataires et cabinets spécialisés",
        "Prestataire et cabinet spécialisé",
        "Prestataires et cabinets spécialisés",
    ],
    ActorType.RESEAU_COMMUNAUTE: [
        "Les réseaux et communautés d'acteurs",
        "Réseau et communauté d'acteurs",
        "Réseaux et communautés d'acteurs",
    ],
    ActorType.AUTRE: ["Autre", "Autre acteur de l'écosystème", "Autres acteurs"],
}
NUMBERED_TYPES = dict(enumerate(ActorType.values, start=1))  # the annex numbers them 1 to 7
# Map categories that are not types: the legend marks actors outside the Puy-de-Dôme.
IGNORED_CATEGORIES = ["Acteur extérieur au territoire du Puy-de-Dôme"]


def default_type_names() -> dict:
    names = {}
    for key, labels in TYPE_NAMES.items():
        for label in [key, ActorType(key).label, *labels]:
            names[norm(str(label))] = key
    for label in IGNORED_CATEGORIES:
        names[norm(label)] = ""
    return names


def check_type_keys(mapping: dict, what: str) -> dict:
    for name, key in mapping.items():
        if key not in ("", "-") and key not in ActorType.values:
            raise BadOption(
                f"{what} « {name} » : type « {key} » inconnu "
                f"(types : {', '.join(ActorType.values)})"
            )
    return {name: ("" if key == "-" else key) for name, key in mapping.items()}


def parse_type(cell: str, names: dict) -> str | None:
    """ "1. Cellule d'innovation" -> "cellule_innovation"; None when unknown."""
    folded = norm(cell)
    if folded in names:
        return names[folded]
    number, _dot, rest = cell.strip().partition(".")
    rest = norm(rest)
    if rest in names:
        return names[rest]
    if number.strip().isdigit() and int(number) in NUMBERED_TYPES and not rest:
        return NUMBERED_TYPES[int(number)]
    if number.strip().isdigit() and int(number) in NUMBERED_TYPES:
        # "5. Les prestataires…" with another wording: the annex's number decides.
        return NUMBERED_TYPES[int(number)]
    return None


STATUS_NAMES = {
    **{norm(str(s.label)): s.value for s in AdministrativeStatus},
    **{norm(s.value): s.value for s in AdministrativeStatus},
    "collectivite": AdministrativeStatus.COLLECTIVITE_TERRITORIALE,
    "service deconcentre": AdministrativeStatus.SERVICE_DECONCENTRE,
    "service deconcentre de l etat": AdministrativeStatus.SERVICE_DECONCENTRE,
    "administration centrale": AdministrativeStatus.ADMINISTRATION_CENTRALE,
    "etablissement public": AdministrativeStatus.ETABLISSEMENT_PUBLIC,
    "entreprise publique locale": AdministrativeStatus.ENTREPRISE_PUBLIQUE_LOCALE,
    "epl": AdministrativeStatus.ENTREPRISE_PUBLIQUE_LOCALE,
    "sem": AdministrativeStatus.ENTREPRISE_PUBLIQUE_LOCALE,
    "spl": AdministrativeStatus.ENTREPRISE_PUBLIQUE_LOCALE,
    "petr": AdministrativeStatus.GROUPEMENT_COLLECTIVITES,
    "petir": AdministrativeStatus.GROUPEMENT_COLLECTIVITES,  # the annex's OCR of PETR
    "epci": AdministrativeStatus.GROUPEMENT_COLLECTIVITES,
    "syndicat mixte": AdministrativeStatus.GROUPEMENT_COLLECTIVITES,
    "universite": AdministrativeStatus.UNIVERSITE_ECOLE,
    "ecole": AdministrativeStatus.UNIVERSITE_ECOLE,
    "scop": AdministrativeStatus.COOPERATIVE,
    "scic": AdministrativeStatus.COOPERATIVE,
}

RELATION_NAMES = {
    **{norm(str(t.label)): t.value for t in RelationType},
    **{norm(t.value): t.value for t in RelationType},
    "partage infos": RelationType.PARTAGE_INFORMATION,
    "partage d infos": RelationType.PARTAGE_INFORMATION,
    "partage informations": RelationType.PARTAGE_INFORMATION,
    "partage d information": RelationType.PARTAGE_INFORMATION,
    "prestation": RelationType.PRESTATION_SERVICE,
    "prestations": RelationType.PRESTATION_SERVICE,
    "prestations de service": RelationType.PRESTATION_SERVICE,
    "prestation service": RelationType.PRESTATION_SERVICE,
    "collaborations": RelationType.COLLABORATION,
    "collabore avec": RelationType.COLLABORATION,
}


def check_link_types(mapping: dict) -> dict:
    """{"partage_infos": "partage_information", "clients": "prestation_service"} plus the
    suffix ":inverse" when the linked element is the provider, not the beneficiary."""
    checked = {}
    for name, value in mapping.items():
        key, _colon, flag = value.partition(":")
        if key not in ("", "-") and key not in RelationType.values:
            raise BadOption(
                f"lien « {name} » : type de relation « {key} » inconnu "
                f"(types : {', '.join(RelationType.values)})"
            )
        if flag and flag != "inverse":
            raise BadOption(f"lien « {name} » : « :{flag} » inconnu (seul « :inverse » existe)")
        checked[name] = ("" if key == "-" else key, flag == "inverse")
    return checked


LIFECYCLE_MARKER = re.compile(r"[\s,;-]*\((disparue?|naissante?)\)", re.IGNORECASE)


def split_lifecycle(name: str) -> tuple[str, str | None]:
    """ "Le Labo 63, (disparu)" -> ("Le Labo 63", "disparu")."""
    match = LIFECYCLE_MARKER.search(name)
    if not match:
        return name.strip(), None
    word = match.group(1).lower()
    cleaned = (name[: match.start()] + name[match.end() :]).strip(" ,;-")
    return cleaned, Lifecycle.DISPARU if word.startswith("disparu") else Lifecycle.NAISSANT


def check_url(value: str, problems: list) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        problems.append(f"site « {value} » invalide : ignoré")
        return ""
    return value


def parse_coordinate(value, name: str, limit: int, errors: list):
    if value in (None, ""):
        return None
    try:
        number = float(str(value).replace(",", ".").strip())
    except ValueError:
        errors.append(f"{name} « {value} » n'est pas un nombre")
        return None
    if not -limit <= number <= limit:
        # The model's message, as the form and the API say it.
        message = coordinates.LATITUDE_RANGE if limit == 90 else coordinates.LONGITUDE_RANGE
        errors.append(f"{name} « {value} » : {message}")
        return None
    return number


def check_swapped(latitude, longitude, errors: list) -> None:
    """Refuse a position whose latitude and longitude were swapped: outside France (the form's
    boxes, overseas included), while the swapped point is in France (45.76, 4.83 given as
    4.83, 45.76: the Indian Ocean)."""
    if latitude is None or longitude is None or in_france(latitude, longitude):
        return
    if -90 <= longitude <= 90 and in_france(longitude, latitude):
        errors.append(
            f"latitude {latitude} et longitude {longitude} : ce point est hors de France ; "
            "latitude et longitude semblent inversées (le point inverse, latitude "
            f"{longitude}, longitude {latitude}, est en France) : échangez les deux colonnes"
        )


def unknown_choice(value: str) -> str:
    """What the form and the API say of a value outside a field's choices."""
    return forms.ChoiceField.default_error_messages["invalid_choice"] % {"value": value}


def check_lengths(values: dict, errors: list) -> None:
    """The model's own length rules on the texts read, with the form's messages: a value too
    long is refused, never cut."""
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        field = Actor._meta.get_field(name)
        try:
            field.run_validators(value)
        except ValidationError as error:
            errors += [f"{field.verbose_name} : {message}" for message in error.messages]


class Communes:
    """Communes of the territories table, found by a folded name ("Clermont Ferrand")."""

    def __init__(self):
        self.by_name: dict[str, list[Territory]] = {}
        for commune in Territory.objects.filter(level=Level.COMMUNE):
            self.by_name.setdefault(norm(commune.name), []).append(commune)

    def find(self, text: str) -> tuple[Territory | None, str]:
        """The commune named in a "portée/ville" cell, read from the end; and a warning."""
        parts = [p for p in re.split(r"[,;/]|\.\.\.", text or "") if p.strip()]
        for part in reversed(parts):
            name = norm(part)
            name = re.sub(r"^(ville|commune|mairie) de ", "", name)
            found = self.by_name.get(name, [])
            if len(found) > 1:
                return None, f"commune « {part.strip()} » ambiguë ({len(found)} communes)"
            if found:
                return found[0], ""
        return None, ""


def scope_of(text: str) -> str:
    first = norm(re.split(r"[,;]", text or "")[0])
    if first.startswith(("dept", "departement")):
        return Scope.DEPARTEMENTAL
    if first in ("ara", "aura", "region", "auvergne rhone alpes") or first.startswith("region"):
        return Scope.REGIONAL
    if first in ("national", "nationale", "france"):
        return Scope.NATIONAL
    if first.startswith("ville de"):
        return Scope.LOCAL
    return ""
