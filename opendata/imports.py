"""Imports of actors and relations: the report's actors file (CSV) and GoGoCarto maps (JSON).

Both formats go through the same steps:

1. `parse()` reads the file into candidates (one per CSV row or GoGoCarto element): the actor's
   values, its contacts, its links to other elements, and the problems found. A problem that
   makes the file unreadable (encoding, missing column, broken JSON) raises `BadFile`.
2. `Importer.run()` writes everything inside one transaction, and rolls it back for a dry run or
   as soon as one row has an error: a file is imported whole or not at all. The dry run thus
   goes through exactly the code of the real import and reports what it would do.

Idempotence: each record keeps its key in the source (`ImportSource`: GoGoCarto element id, or
the folded "Organisation - Service" of a CSV row) and the fingerprint of the values last
imported from it; importing the same file again creates and changes nothing. An import never
erases: an empty cell leaves the published value alone.

Reading of GoGoCarto's statuses (ElementStatus in GoGoCarto's source): 1 (validated by an
admin), 2 (validated collaboratively), 3 (added by an admin), 4 and above (modified by an admin,
the owner, a link, or imported) are published elements. -1 (a modification awaits a vote) and 0
(an addition awaits a vote) are pending: never published by an import, but proposed to
moderation with --to-moderation. -2 and -3 (refused), -4 (deleted), -5 (the pending version of
a modification) and -6 (duplicate) are never imported. An element without a status is taken
as published (exports made with "statut" unticked).

Contributors' emails (`email`) are never read into anything that is stored or published.
"""

import base64
import codecs
import csv
import datetime
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from actors.models import (
    Actor,
    ActorType,
    ActorTypeEntry,
    AdministrativeStatus,
    Contact,
    Lifecycle,
    LocationPrecision,
    Scope,
)
from contributions.forms import actor_public_values
from contributions.models import ACTOR_FIELDS, NEW, Contribution, Kind, Status
from relations.models import Relation, RelationType
from territories.models import Level, Territory
from tips_map.sources import ProvenanceKind
from tips_map.text import fold

from .models import ImportSource, ImportSystem

# Actions reported for each row.
CREATE = "create"
UPDATE = "update"
SKIP = "skip"
MODERATION = "moderation"
ERROR = "error"
VALID = "valid"  # read without error, but not imported because other rows have errors
ACTION_LABELS = {
    CREATE: "création",
    UPDATE: "mise à jour",
    SKIP: "ignoré",
    MODERATION: "envoyé en modération",
    ERROR: "erreur",
    VALID: "valide, non importé",
}

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class BadFile(Exception):
    """The file cannot be read at all; the message says why, in French."""


class BadOption(ValueError):
    """A mapping option is malformed or names an unknown field or key."""


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
        errors.append(f"{name} {value} hors de l'intervalle [-{limit}, {limit}]")
        return None
    return number


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


# Candidates and reports ---------------------------------------------------------------------


@dataclass
class Link:
    field: str
    type: str
    inverse: bool
    key: str  # the linked record's key in the same source
    name: str


@dataclass
class Candidate:
    """One record of the file, read and checked, ready to be written."""

    key: str
    where: str  # "ligne 3", "élément 123"
    name: str
    values: dict = field(default_factory=dict)
    secondary_types: list | None = None
    contacts: list | None = None
    links: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    skip_reason: str = ""
    pending: bool = False  # pending on GoGoCarto: only ever sent to moderation

    def digest(self) -> str:
        data = {
            "values": self.values,
            "secondary": self.secondary_types,
            "contacts": self.contacts,
            "links": sorted((link.field, link.key) for link in self.links),
        }
        return hashlib.sha256(
            json.dumps(data, sort_keys=True, default=str).encode("utf-8")
        ).hexdigest()


@dataclass
class RowReport:
    where: str
    name: str
    action: str = ""
    reasons: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    actor_slug: str = ""

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


@dataclass
class ImportReport:
    system: str
    dry_run: bool
    to_moderation: bool
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    file_warnings: list = field(default_factory=list)
    relations_created: int = 0
    relations_existing: int = 0
    relations_proposed: int = 0
    applied: bool = False
    encoding: str = ""
    delimiter: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows)

    def count(self, action: str) -> int:
        return sum(row.action == action for row in self.rows)

    @property
    def counts(self) -> dict:
        return {action: self.count(action) for action in ACTION_LABELS}

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(row.errors) for row in self.rows)

    def lines(self) -> list[str]:
        """The report as plain text, for the command."""
        out = []
        if self.encoding:
            shown = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}
            out.append(
                f"Fichier lu en {self.encoding}, séparateur : "
                f"{shown.get(self.delimiter, self.delimiter)}"
            )
        out += [f"ERREUR (fichier) : {e}" for e in self.file_errors]
        out += [f"Attention (fichier) : {w}" for w in self.file_warnings]
        for row in self.rows:
            detail = "; ".join(row.errors or row.reasons)
            out.append(
                f"{row.where} — {row.name} : {row.action_label}"
                + (f" ({detail})" if detail else "")
            )
            out += [f"    attention : {w}" for w in row.warnings]
        c = self.counts
        out.append(
            f"Acteurs : {c[CREATE]} créé(s), {c[UPDATE]} mis à jour, {c[SKIP]} ignoré(s), "
            f"{c[MODERATION]} envoyé(s) en modération, {self.error_count} erreur(s)"
        )
        out.append(
            f"Relations : {self.relations_created} créée(s), "
            f"{self.relations_existing} déjà connue(s), "
            f"{self.relations_proposed} proposée(s) en modération"
        )
        if not self.ok:
            out.append("Import annulé : rien n'a été écrit.")
        elif self.dry_run:
            out.append("Essai à blanc : rien n'a été écrit.")
        return out


# The CSV actors file ------------------------------------------------------------------------

CSV_FIELDS = {
    "type": "type d'acteur (1. Cellule d'innovation … 7. Autre)",
    "name": "Organisation - Service",
    "status": "statut administratif",
    "missions": "missions",
    "place": "portée et ville",
    "website": "site",
    "contact_names": "noms des contacts",
    "contact_functions": "fonctions des contacts",
    "short_name": "nom usuel",
    "acronym": "sigle",
    "commune": "commune",
    "address": "adresse",
    "latitude": "latitude",
    "longitude": "longitude",
    "lifecycle": "cycle de vie (naissant, actif, disparu)",
    "founded_year": "année de création",
}
CSV_DEFAULT_COLUMNS = {
    norm(header): name
    for header, name in [
        ("Type d'acteur", "type"),
        ("Type", "type"),
        ("Organisation - Service", "name"),
        ("Organisation", "name"),
        ("Nom", "name"),
        ("Statut administratif", "status"),
        ("Statut", "status"),
        ("Missions", "missions"),
        ("portée/ville", "place"),
        ("portée / ville", "place"),
        ("Portée, ville", "place"),
        # The header as the report's text gives it (l.2326), cut by the PDF's layout.
        ("re de portée, ville de local", "place"),
        ("Échelle de portée, ville de localisation", "place"),
        ("Site", "website"),
        ("Site internet", "website"),
        ("Noms", "contact_names"),
        ("Fonctions", "contact_functions"),
        ("Nom usuel", "short_name"),
        ("Sigle", "acronym"),
        ("Commune", "commune"),
        ("Ville", "commune"),
        ("Adresse", "address"),
        ("Latitude", "latitude"),
        ("Longitude", "longitude"),
        ("Cycle de vie", "lifecycle"),
        ("Année de création", "founded_year"),
    ]
}
CSV_REQUIRED = {"name": "Organisation - Service", "type": "Type d'acteur"}
DELIMITERS = [";", ",", "\t"]


def decode(content: bytes, encoding: str = "") -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-8 (with or without BOM), else cp1252."""
    if b"\x00" in content[:4096]:
        raise BadFile(
            "encodage non reconnu (octets nuls : UTF-16 ?) ; enregistrez le fichier en UTF-8"
        )
    candidates = [encoding] if encoding else ["utf-8", "cp1252", "latin-1"]
    for name in candidates:
        try:
            codecs.lookup(name)
        except LookupError:
            raise BadFile(f"encodage « {name} » inconnu") from None
        if codecs.lookup(name).name == "utf-8" and content.startswith(codecs.BOM_UTF8):
            name, data = "utf-8-sig", content
        else:
            data = content
        try:
            return data.decode(name), name
        except UnicodeDecodeError as error:
            if encoding:
                line = content[: error.start].count(b"\n") + 1
                raise BadFile(
                    f"ligne {line} : octets illisibles en {encoding} ; "
                    "vérifiez l'encodage du fichier"
                ) from None
    raise BadFile("encodage non reconnu")  # latin-1 decodes anything: not reached


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    if counts[best] == 0:
        raise BadFile(
            "séparateur non reconnu dans la ligne d'en-tête (attendu : « ; », « , » ou tabulation)"
        )
    return best


class CsvImporter:
    system = ImportSystem.CSV
    contributor_name = "Import CSV"

    def __init__(self, columns=None, delimiter: str = "", encoding: str = ""):
        self.columns = dict(CSV_DEFAULT_COLUMNS)
        for header, name in parse_pairs(columns, "colonne").items():
            if name not in CSV_FIELDS:
                raise BadOption(
                    f"colonne « {header} » : champ « {name} » inconnu "
                    f"(champs : {', '.join(CSV_FIELDS)})"
                )
            self.columns[header] = name
        self.delimiter = {"tab": "\t", "\\t": "\t"}.get(delimiter, delimiter)
        self.encoding = encoding
        self.types = default_type_names()

    def parse(self, content: bytes, report: ImportReport) -> list[Candidate]:
        text, report.encoding = decode(content, self.encoding)
        if not text.strip():
            raise BadFile("le fichier est vide")
        header_line = text.lstrip("\ufeff").splitlines()[0]
        report.delimiter = self.delimiter or sniff_delimiter(header_line)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=report.delimiter)
        try:
            headers = next(reader)
        except csv.Error as error:
            raise BadFile(f"ligne 1 : {error}") from None
        positions = {}
        for index, header in enumerate(headers):
            name = self.columns.get(norm(header))
            if name and name not in positions:
                positions[name] = index
            elif header.strip():
                report.file_warnings.append(f"colonne « {header.strip()} » ignorée")
        missing = [label for name, label in CSV_REQUIRED.items() if name not in positions]
        if missing:
            raise BadFile(
                "colonne(s) manquante(s) : "
                + ", ".join(f"« {m} »" for m in missing)
                + f" (colonnes lues : {', '.join(h.strip() for h in headers)}) ; "
                "indiquez la correspondance avec --map « Nom de colonne=champ »"
            )
        communes = Communes()
        candidates = []
        try:
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue
                row = {
                    n: (cells[i].strip() if i < len(cells) else "") for n, i in positions.items()
                }
                candidates.append(self.candidate(row, f"ligne {reader.line_num}", communes))
        except csv.Error as error:
            raise BadFile(f"ligne {reader.line_num} : {error}") from None
        if not candidates:
            raise BadFile("aucune ligne d'acteur après l'en-tête")
        return candidates

    def candidate(self, row: dict, where: str, communes: Communes) -> Candidate:
        name, lifecycle = split_lifecycle(row.get("name", ""))
        candidate = Candidate(key=norm(name), where=where, name=name or "—")
        errors, warnings = candidate.errors, candidate.warnings
        if not name:
            errors.append("« Organisation - Service » vide")
        actor_type = parse_type(row.get("type", ""), self.types)
        if not row.get("type"):
            errors.append("type d'acteur vide")
        elif not actor_type:
            errors.append(
                f"type d'acteur « {row['type']} » inconnu (attendu : 1 à 7, "
                "par exemple « 1. Cellule d'innovation »)"
            )
        values = {"name": name[:300], "type": actor_type or ""}
        if row.get("status"):
            status = STATUS_NAMES.get(norm(row["status"]))
            if status:
                values["status"] = status
            else:
                warnings.append(f"statut administratif « {row['status']} » inconnu : ignoré")
        for source, target in [("missions", "missions"), ("short_name", "short_name")]:
            if row.get(source):
                values[target] = row[source]
        if row.get("acronym"):
            values["acronym"] = row["acronym"][:40]
        if row.get("address"):
            values["address"] = row["address"][:300]
        website = check_url(row.get("website", ""), warnings)
        if website:
            values["website"] = website
        if row.get("lifecycle"):
            wanted = norm(row["lifecycle"])
            matches = [v for v in Lifecycle.values if wanted.startswith(v)]
            if matches:
                lifecycle = matches[0]
            else:
                errors.append(f"cycle de vie « {row['lifecycle']} » inconnu")
        values["lifecycle"] = lifecycle or Lifecycle.ACTIF
        if row.get("founded_year"):
            if row["founded_year"].isdigit() and 1800 <= int(row["founded_year"]) <= 2100:
                values["founded_year"] = int(row["founded_year"])
            else:
                errors.append(f"année de création « {row['founded_year']} » invalide")
        scope = scope_of(row.get("place", ""))
        if scope:
            values["scope"] = scope
        self.locate(row, values, candidate, communes)

        names = [n.strip() for n in re.split(r"[;\n]", row.get("contact_names", "")) if n.strip()]
        functions = [f.strip() for f in re.split(r"[;\n]", row.get("contact_functions", ""))]
        if names:
            candidate.contacts = [
                (n[:200], (functions[i] if i < len(functions) else "")[:300])
                for i, n in enumerate(names)
            ]
        candidate.values = values
        return candidate

    @staticmethod
    def locate(row: dict, values: dict, candidate: Candidate, communes: Communes) -> None:
        latitude = parse_coordinate(row.get("latitude"), "latitude", 90, candidate.errors)
        longitude = parse_coordinate(row.get("longitude"), "longitude", 180, candidate.errors)
        if (latitude is None) != (longitude is None):
            if not candidate.errors:
                candidate.errors.append("latitude et longitude vont ensemble")
            return
        place = row.get("commune") or row.get("place", "")
        commune, problem = communes.find(place)
        if problem:
            candidate.warnings.append(problem)
        if commune is not None:
            values["commune_name"] = commune.name
        if latitude is not None:
            values.update(
                latitude=latitude,
                longitude=longitude,
                location_precision=LocationPrecision.ADDRESS
                if row.get("address")
                else LocationPrecision.APPROXIMATE,
            )
        elif commune is not None and commune.center_latitude is not None:
            # No coordinates in the annex: the town hall, said approximate on the card.
            values.update(
                latitude=commune.center_latitude,
                longitude=commune.center_longitude,
                location_precision=LocationPrecision.COMMUNE,
            )
        else:
            candidate.warnings.append(
                f"aucune commune connue dans « {place} » : pas de coordonnées"
                if place
                else "ni commune ni coordonnées : pas de coordonnées"
            )

    def reason(self, candidate: Candidate, today: datetime.date) -> str:
        return f"Import CSV du {today:%d/%m/%Y} ({candidate.where})"

    def provenance(self, candidate: Candidate) -> str:
        return f"Fichier d'acteurs (CSV), {candidate.where}"


# GoGoCarto ----------------------------------------------------------------------------------

GOGO_RESERVED = {
    "id",
    "name",
    "geo",
    "address",
    "categories",
    "categoriesFull",
    "createdAt",
    "updatedAt",
    "status",
    "moderationState",
    "sourceKey",
    "email",
    "openHours",
    "images",
    "files",
    "stamps",
    "licence",
}
GOGO_FIELDS = {
    "description": "missions",
    "website": "website",
    "site": "website",
    "site_web": "website",
    "site_internet": "website",
    "sigle": "acronym",
    "acronyme": "acronym",
    "nom_usuel": "short_name",
    "statut": "status",
    "statut_administratif": "status",
    "annee_creation": "founded_year",
    "annee_de_creation": "founded_year",
}
GOGO_TARGETS = {"missions", "website", "acronym", "short_name", "status", "founded_year", "scope"}
PUBLISHED_MIN_STATUS = 1
PENDING_STATUSES = {
    -1: "modification en attente de validation",
    0: "ajout en attente de validation",
}
REFUSED_STATUSES = {
    -2: "refusé par un administrateur",
    -3: "refusé par vote collaboratif",
    -4: "supprimé",
    -5: "version en attente d'une modification",
    -6: "doublon",
}


class GogocartoImporter:
    system = ImportSystem.GOGOCARTO
    contributor_name = "Import GoGoCarto"

    def __init__(self, categories=None, links=None, fields=None):
        self.types = default_type_names()
        self.types.update(check_type_keys(parse_pairs(categories, "catégorie"), "catégorie"))
        self.links = {name: (key, False) for name, key in RELATION_NAMES.items()}
        self.links.update(check_link_types(parse_pairs(links, "lien")))
        self.fields = {norm(k): v for k, v in GOGO_FIELDS.items()}
        for name, target in parse_pairs(fields, "champ").items():
            if target not in GOGO_TARGETS and target not in ("", "-"):
                raise BadOption(
                    f"champ « {name} » : « {target} » inconnu "
                    f"(champs : {', '.join(sorted(GOGO_TARGETS))})"
                )
            self.fields[name] = "" if target == "-" else target
        self.licence = ""

    def parse(self, content: bytes, report: ImportReport) -> list[Candidate]:
        try:
            data = json.loads(content.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise BadFile("le fichier n'est pas du JSON en UTF-8") from None
        except json.JSONDecodeError as error:
            raise BadFile(
                f"JSON invalide, ligne {error.lineno}, colonne {error.colno} : {error.msg}"
            ) from None
        if isinstance(data, dict):
            elements = data.get("data")
            self.licence = str(data.get("licence") or "")
        else:
            elements = data
        if not isinstance(elements, list):
            raise BadFile("pas de liste d'éléments (clé « data ») : est-ce /api/elements.json ?")
        communes = Communes()
        candidates, seen_links = [], set()
        for index, element in enumerate(elements, start=1):
            if not isinstance(element, dict) or not str(element.get("id") or "").strip():
                candidates.append(
                    Candidate(
                        key=f"#{index}",
                        where=f"élément n° {index} du fichier",
                        name="—",
                        errors=["élément sans identifiant « id »"],
                    )
                )
                continue
            candidates.append(self.candidate(element, communes, seen_links))
        for name in sorted(seen_links):
            report.file_warnings.append(
                f"champ de liens « {name} » sans type de relation : ignoré "
                "(indiquez --link « champ=type »)"
            )
        return candidates

    def candidate(self, element: dict, communes: Communes, seen_links: set) -> Candidate:
        key = str(element["id"]).strip()
        name = str(element.get("name") or "").strip()
        candidate = Candidate(key=key, where=f"élément {key}", name=name or "—")
        errors, warnings = candidate.errors, candidate.warnings
        status = element.get("status")
        if status not in (None, ""):
            try:
                status = int(status)
            except (TypeError, ValueError):
                errors.append(f"statut GoGoCarto « {status} » illisible")
                return candidate
            if status in REFUSED_STATUSES or status < -1:
                candidate.skip_reason = (
                    f"statut GoGoCarto {status} "
                    f"({REFUSED_STATUSES.get(status, 'négatif')}) : jamais importé"
                )
                return candidate
            if status < PUBLISHED_MIN_STATUS:
                candidate.pending = True
                candidate.skip_reason = (
                    f"statut GoGoCarto {status} ({PENDING_STATUSES[status]}) : non publié ; "
                    "importez avec l'envoi en modération pour le proposer"
                )
        if not name:
            errors.append("nom vide")
        values = {"name": name[:300]}
        self.read_types(element, values, candidate)
        self.read_location(element, values, candidate, communes)
        for source, value in element.items():
            target = self.fields.get(norm(source))
            if source in GOGO_RESERVED or not target:
                continue
            text = ", ".join(map(str, value)) if isinstance(value, list) else str(value or "")
            text = text.strip()
            if not text:
                continue
            if target == "website":
                text = check_url(text, warnings)
            elif target == "status":
                text = STATUS_NAMES.get(norm(text), "")
                if not text:
                    warnings.append(f"statut administratif « {value} » inconnu : ignoré")
            elif target == "founded_year":
                text = int(text) if text.isdigit() and 1800 <= int(text) <= 2100 else None
                if text is None:
                    warnings.append(f"année de création « {value} » invalide : ignorée")
            elif target == "acronym":
                text = text[:40]
            elif target == "short_name":
                text = text[:120]
            if text not in ("", None):
                values[target] = text
        # Link fields: {"<elementId>": "<element name>", …}.
        for source, value in element.items():
            if source in GOGO_RESERVED or not isinstance(value, dict) or not value:
                continue
            if not all(isinstance(v, str) for v in value.values()):
                continue
            relation_type, inverse = self.links.get(norm(source), (None, False))
            if relation_type is None:
                seen_links.add(source)
                continue
            if not relation_type:
                continue
            for linked_id, linked_name in value.items():
                candidate.links.append(
                    Link(source, relation_type, inverse, str(linked_id), linked_name)
                )
        candidate.values = values
        return candidate

    def read_types(self, element: dict, values: dict, candidate: Candidate) -> None:
        names = [str(c) for c in element.get("categories") or [] if str(c).strip()]
        if not names:
            names = [
                str(c.get("name"))
                for c in element.get("categoriesFull") or []
                if isinstance(c, dict) and c.get("name")
            ]
        keys, unknown = [], []
        for category in names:
            key = self.types.get(norm(category))
            if key is None:
                unknown.append(category)
            elif key and key not in keys:
                keys.append(key)
        if not keys:
            candidate.errors.append(
                "type d'acteur inconnu : catégorie(s) "
                + (", ".join(f"« {c} »" for c in unknown) if unknown else "absente(s)")
                + " (indiquez --category « Catégorie=type »)"
            )
            return
        candidate.warnings += [f"catégorie « {c} » inconnue : ignorée" for c in unknown]
        values["type"] = keys[0]
        candidate.secondary_types = sorted(keys[1:])

    @staticmethod
    def read_location(element, values, candidate, communes) -> None:
        address = element.get("address") if isinstance(element.get("address"), dict) else {}
        street = str(address.get("streetAddress") or "").strip()
        locality = str(address.get("addressLocality") or "").strip()
        postcode = str(address.get("postalCode") or "").strip()
        country = str(address.get("addressCountry") or "").strip()
        if street or locality:
            full = ", ".join(filter(None, [street, " ".join(filter(None, [postcode, locality]))]))
            values["address"] = full[:300]
        if locality:
            values["commune_name"] = locality[:120]
        if country:
            if norm(country) in ("fr", "france"):
                values["country"] = "FR"
            elif re.fullmatch(r"[A-Za-z]{2}", country):
                values["country"] = country.upper()
            else:
                candidate.warnings.append(f"pays « {country} » non reconnu : ignoré")
        geo = element.get("geo") if isinstance(element.get("geo"), dict) else {}
        errors = candidate.errors
        latitude = parse_coordinate(geo.get("latitude"), "latitude", 90, errors)
        longitude = parse_coordinate(geo.get("longitude"), "longitude", 180, errors)
        if latitude is not None and longitude is not None:
            values.update(
                latitude=latitude,
                longitude=longitude,
                location_precision=LocationPrecision.ADDRESS
                if street
                else LocationPrecision.APPROXIMATE,
            )
            return
        if errors:
            return
        commune, problem = communes.find(locality)
        if commune is not None and commune.center_latitude is not None:
            values.update(
                commune_name=commune.name,
                latitude=commune.center_latitude,
                longitude=commune.center_longitude,
                location_precision=LocationPrecision.COMMUNE,
            )
        else:
            candidate.warnings.append(problem or "pas de coordonnées")

    def reason(self, candidate: Candidate, today: datetime.date) -> str:
        return f"Import GoGoCarto du {today:%d/%m/%Y} ({candidate.where})"

    def provenance(self, candidate: Candidate) -> str:
        detail = f"Carte GoGoCarto, {candidate.where}"
        return f"{detail} (licence : {self.licence})" if self.licence else detail


# Writing ------------------------------------------------------------------------------------


def contributor_email(user) -> str:
    if user is not None and getattr(user, "email", ""):
        return user.email
    configured = getattr(settings, "TIPS_IMPORT_CONTRIBUTOR_EMAIL", "")
    return configured or parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "import@localhost"


def find_by_name(name: str) -> Actor | None:
    folded = fold(name)
    if not folded:
        return None
    for actor in Actor.objects.filter(search_text__startswith=folded):
        if fold(actor.name) == folded:
            return actor
    return None


class Importer:
    """Runs a parser's candidates into the database: publish, or send to moderation."""

    def __init__(
        self,
        parser,
        *,
        dry_run=False,
        to_moderation=False,
        user=None,
        email="",
        today=None,
    ):
        self.parser = parser
        self.dry_run = dry_run
        self.to_moderation = to_moderation
        self.user = user
        self.email = email or contributor_email(user)
        self.today = today or timezone.localdate()
        self.contributions = []

    def run(self, content: bytes) -> ImportReport:
        report = ImportReport(self.parser.system, self.dry_run, self.to_moderation)
        try:
            candidates = self.parser.parse(content, report)
        except BadFile as error:
            report.file_errors.append(str(error))
            return report
        seen = {}
        for candidate in candidates:
            if candidate.key in seen and not candidate.errors:
                candidate.errors.append(f"doublon de {seen[candidate.key]} (même clé)")
            seen.setdefault(candidate.key, candidate.where)
        if any(c.errors for c in candidates):
            # A bad file is reported whole, and nothing is written.
            for candidate in candidates:
                row = self.row(candidate)
                row.action = VALID
                if candidate.errors:
                    row.action, row.errors = ERROR, list(candidate.errors)
                report.rows.append(row)
            return report
        with transaction.atomic():
            self.write(candidates, report)
            if self.dry_run or not report.ok:
                transaction.set_rollback(True)
            else:
                report.applied = True
        return report

    @staticmethod
    def row(candidate: Candidate) -> RowReport:
        return RowReport(candidate.where, candidate.name, warnings=list(candidate.warnings))

    def write(self, candidates: list, report: ImportReport) -> None:
        for key in ActorType.values:
            ActorTypeEntry.objects.get_or_create(key=key)
        sources = {
            s.key: s
            for s in ImportSource.objects.filter(system=self.parser.system).select_related(
                "actor", "contribution__actor"
            )
        }
        actors = {}  # key -> published actor, for the relations
        rows = {}
        for candidate in candidates:
            row = self.row(candidate)
            rows[candidate.key] = row
            report.rows.append(row)
            source = sources.get(candidate.key)
            actor = self.known_actor(source)
            try:
                if candidate.skip_reason and not (self.to_moderation and candidate.pending):
                    row.action = SKIP
                    row.reasons.append(candidate.skip_reason)
                    continue
                if self.to_moderation:
                    self.propose(candidate, actor, source, row, sources)
                else:
                    actor = self.publish(candidate, actor, source, row)
            except ValidationError as error:
                row.action = ERROR
                row.errors += [
                    f"{name} : {message}" if name != "__all__" else message
                    for name, messages in error.message_dict.items()
                    for message in messages
                ]
                continue
            if actor is not None:
                actors[candidate.key] = actor
                row.actor_slug = actor.slug
        if not self.to_moderation and report.ok:
            self.publish_relations(candidates, actors, sources, rows, report)
        report.relations_proposed = sum(
            len(c.proposed.get("relations", [])) for c in self.contributions
        )

    @staticmethod
    def known_actor(source: ImportSource | None) -> Actor | None:
        if source is None:
            return None
        if source.actor is not None:
            return source.actor
        # Sent to moderation earlier, and validated since: the contribution made the actor.
        if source.contribution and source.contribution.status == Status.VALIDATED:
            return source.contribution.actor
        return None

    # Publishing ------------------------------------------------------------------------------

    def publish(self, candidate, actor, source, row) -> Actor:
        digest = candidate.digest()
        if actor is not None and source is not None and source.digest == digest:
            row.action = SKIP
            row.reasons.append("inchangé depuis l'import précédent")
            return actor
        reason = self.parser.reason(candidate, self.today)
        if actor is None:
            actor = find_by_name(candidate.name)
            if actor is not None:
                row.reasons.append("rattaché à l'acteur publié de même nom")
        if actor is None:
            actor = Actor(
                slug=Contribution.unique_slug(candidate.name),
                provenance=ProvenanceKind.IMPORT,
                provenance_detail=self.parser.provenance(candidate),
            )
            changed = list(candidate.values)
            for name, value in candidate.values.items():
                setattr(actor, name, value)
            row.action = CREATE
        else:
            changed = self.assign(actor, candidate.values)
            row.action = UPDATE
        types_changed = self.types_differ(actor, candidate)
        contacts_changed = self.contacts_differ(actor, candidate)
        if row.action == UPDATE and not (changed or types_changed or contacts_changed):
            row.action = SKIP
            row.reasons.append("aucune différence avec la fiche publiée")
        else:
            if row.action == UPDATE:
                labels = [str(Actor._meta.get_field(f).verbose_name) for f in changed]
                labels += ["types secondaires"] * types_changed + ["contacts"] * contacts_changed
                row.reasons.append("modifié : " + ", ".join(labels))
            actor.checked_on = self.today
            actor.full_clean()
            actor._change_reason = reason
            actor.save()
            if types_changed:
                actor.secondary_types.set(
                    ActorTypeEntry.objects.filter(key__in=candidate.secondary_types).exclude(
                        key=actor.type
                    )
                )
            if contacts_changed:
                self.write_contacts(actor, candidate.contacts, reason)
        if row.action == CREATE and "latitude" not in candidate.values:
            row.reasons.append("sans coordonnées")
        ImportSource.objects.update_or_create(
            system=self.parser.system,
            key=candidate.key,
            defaults={"actor": actor, "digest": digest, "label": candidate.name[:300]},
        )
        return actor

    @staticmethod
    def assign(actor: Actor, values: dict) -> list[str]:
        """Set the non-empty values that differ; an exact address is not replaced by a town
        hall. Return the changed fields."""
        keep_place = (
            actor.location_precision == LocationPrecision.ADDRESS
            and actor.latitude is not None
            and values.get("location_precision") != LocationPrecision.ADDRESS
        )
        changed = []
        for name, value in values.items():
            if value in ("", None):
                continue
            if keep_place and name in ("latitude", "longitude", "location_precision"):
                continue
            if getattr(actor, name) != value:
                setattr(actor, name, value)
                changed.append(name)
        return changed

    @staticmethod
    def types_differ(actor: Actor, candidate: Candidate) -> bool:
        if candidate.secondary_types is None:
            return False
        wanted = set(candidate.secondary_types) - {candidate.values.get("type")}
        if actor.pk is None:
            return bool(wanted)
        return wanted != {t.key for t in actor.secondary_types.all()}

    @staticmethod
    def contacts_differ(actor: Actor, candidate: Candidate) -> bool:
        if candidate.contacts is None:
            return False
        if actor.pk is None:
            return bool(candidate.contacts)
        current = [(c.name, c.function) for c in actor.contacts.all()]
        return [tuple(c) for c in candidate.contacts] != current

    @staticmethod
    def write_contacts(actor: Actor, contacts: list, reason: str) -> None:
        for contact in actor.contacts.all():
            contact._change_reason = reason
            contact.delete()
        for position, (name, function) in enumerate(contacts):
            contact = Contact(actor=actor, name=name, function=function, position=position)
            contact._change_reason = reason
            contact.save()

    def publish_relations(self, candidates, actors, sources, rows, report) -> None:
        done = set()
        for candidate in candidates:
            actor = actors.get(candidate.key)
            if actor is None:
                continue
            row = rows[candidate.key]
            for link in candidate.links:
                partner = actors.get(link.key) or self.known_actor(sources.get(link.key))
                label = f"{RelationType(link.type).label} avec « {link.name} »"
                if partner is None:
                    row.warnings.append(
                        f"relation {label} (élément {link.key}) ignorée : "
                        "élément absent du fichier ou non publié"
                    )
                    continue
                if partner.pk == actor.pk:
                    continue
                source, target = (partner, actor) if link.inverse else (actor, partner)
                probe = Relation.objects.stored_or_new(source, target, link.type)
                signature = (probe.source_id, probe.target_id, probe.type)
                if signature in done:
                    continue
                done.add(signature)
                if probe.pk is not None:
                    report.relations_existing += 1
                    continue
                probe.provenance = ProvenanceKind.IMPORT
                probe.provenance_detail = self.parser.provenance(candidate)
                probe.checked_on = self.today
                try:
                    probe.full_clean()
                except ValidationError as error:
                    row.action = ERROR
                    row.errors += [f"relation {label} : {m}" for m in error.messages]
                    continue
                probe._change_reason = self.parser.reason(candidate, self.today)
                probe.save()
                report.relations_created += 1
                row.reasons.append(f"relation créée : {label}")

    # Moderation ------------------------------------------------------------------------------

    def propose(self, candidate, actor, source, row, sources) -> None:
        digest = candidate.digest()
        contribution = source.contribution if source else None
        if (
            contribution is not None
            and contribution.status == Status.PENDING
            and source.pending_digest == digest
        ):
            row.action = SKIP
            row.reasons.append(f"déjà en attente de modération (proposition n° {contribution.pk})")
            return
        if actor is not None and source is not None and source.digest == digest:
            row.action = SKIP
            row.reasons.append("inchangé depuis l'import précédent")
            return
        if actor is None:
            actor = find_by_name(candidate.name)
        proposed = self.proposed_values(candidate, actor)
        relations = self.proposed_relations(candidate, actor, sources, row)
        if actor is not None and not proposed and not relations:
            row.action = SKIP
            row.reasons.append("aucune différence avec la fiche publiée")
            return
        if actor is None:
            # Checked now, so that a moderator never gets a proposal that cannot be applied.
            probe = Actor(slug=Contribution.unique_slug(candidate.name))
            for name, value in candidate.values.items():
                setattr(probe, name, value)
            probe.full_clean(validate_unique=False, validate_constraints=False)
        contribution = Contribution.objects.create(
            kind=Kind.NEW_ACTOR if actor is None else Kind.CORRECTION,
            status=Status.PENDING,
            confirmed_at=timezone.now(),
            actor=actor,
            actor_label=(actor.name if actor else candidate.name)[:300],
            proposed={"actor": proposed, "relations": relations},
            snapshot=actor_public_values(actor) if actor else {},
            message=self.parser.reason(candidate, self.today),
            contributor=None,
            contributor_name=self.parser.contributor_name,
            contributor_email=self.email,
        )
        self.contributions.append(contribution)
        ImportSource.objects.update_or_create(
            system=self.parser.system,
            key=candidate.key,
            defaults={
                "actor": actor,
                "contribution": contribution,
                "pending_digest": digest,
                "label": candidate.name[:300],
            },
        )
        row.action = MODERATION
        row.reasons.append(
            f"proposition n° {contribution.pk} : "
            + ("nouvel acteur" if actor is None else "correction")
        )

    @staticmethod
    def proposed_values(candidate: Candidate, actor: Actor | None) -> dict:
        # location_precision is not a contributor's field, but apply() writes it all the same:
        # without it a GoGoCarto position would read "town hall" on the card.
        proposable = {*ACTOR_FIELDS, "location_precision"}
        values = {k: v for k, v in candidate.values.items() if k in proposable}
        if candidate.secondary_types is not None:
            values["secondary_types"] = sorted(
                set(candidate.secondary_types) - {values.get("type")}
            )
        if actor is None:
            return values
        current = {**actor_public_values(actor), "location_precision": actor.location_precision}
        if (
            actor.location_precision == LocationPrecision.ADDRESS
            and actor.latitude is not None
            and values.get("location_precision") != LocationPrecision.ADDRESS
        ):
            for name in ("latitude", "longitude", "location_precision"):
                values.pop(name, None)
        return {k: v for k, v in values.items() if v not in ("", None) and current.get(k) != v}

    def proposed_relations(self, candidate, actor, sources, row) -> list:
        relations = []
        for link in candidate.links:
            partner = self.known_actor(sources.get(link.key))
            label = f"{RelationType(link.type).label} avec « {link.name} »"
            if partner is None:
                row.warnings.append(
                    f"relation {label} non proposée : l'élément {link.key} n'est pas encore "
                    "publié (réimportez après sa validation)"
                )
                continue
            if actor is not None:
                if partner.pk == actor.pk:
                    continue
                if Relation.objects.stored_or_new(actor, partner, link.type).pk is not None:
                    continue
            me = actor.slug if actor is not None else NEW
            source, target = (partner.slug, me) if link.inverse else (me, partner.slug)
            relations.append(
                {
                    "source": source,
                    "target": target,
                    "type": link.type,
                    "description": "",
                    "source_detail": self.parser.provenance(candidate),
                }
            )
        return relations


# Helpers for the upload page ----------------------------------------------------------------


def make_parser(kind: str, options: dict):
    if kind == ImportSystem.CSV:
        return CsvImporter(
            columns=options.get("map"),
            delimiter=options.get("delimiter", ""),
            encoding=options.get("encoding", ""),
        )
    return GogocartoImporter(
        categories=options.get("category"), links=options.get("link"), fields=options.get("map")
    )


def encode_content(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def decode_content(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))
