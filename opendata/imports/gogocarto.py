"""GoGoCarto maps (/api/elements.json): elements, categories, link fields and statuses.

GoGoCarto's statuses (ElementStatus in its source): 1 (validated by an admin), 2 (validated
collaboratively), 3 (added by an admin), 4 and above (modified by an admin, the owner, a link,
or imported) are published elements. -1 (a modification awaits a vote) and 0 (an addition
awaits a vote) are pending: never published by an import, but proposed to moderation with
--to-moderation. -2 and -3 (refused), -4 (deleted), -5 (the pending version of a
modification) and -6 (duplicate) are never imported. An element without a status is taken as
published (exports made with "statut" unticked).

Contributors' emails (`email`) are never read into anything that is stored or published.
"""

import datetime
import json
import re

from actors.models import LocationPrecision

from ..models import ImportSystem
from . import licences
from .report import BadFile, BadOption, Candidate, ImportReport, Link
from .vocabulary import (
    RELATION_NAMES,
    STATUS_NAMES,
    Communes,
    check_lengths,
    check_link_types,
    check_swapped,
    check_type_keys,
    check_url,
    default_type_names,
    norm,
    parse_coordinate,
    parse_pairs,
)

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


class GogocartoParser:
    system = ImportSystem.GOGOCARTO
    contributor_name = "Import GoGoCarto"

    def __init__(self, categories=None, links=None, fields=None, licence=""):
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
        # Declared by whoever imports (--licence), else the file's "licence", else the ODbL.
        self.licence_text = licence.strip()
        self.licence = None

    def parse(self, content: bytes, report: ImportReport) -> list[Candidate]:
        try:
            data = json.loads(content.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise BadFile("le fichier n'est pas du JSON en UTF-8") from None
        except json.JSONDecodeError as error:
            raise BadFile(
                f"JSON invalide, ligne {error.lineno}, colonne {error.colno} : {error.msg}"
            ) from None
        elements, declared = data, ""
        if isinstance(data, dict):
            elements, declared = data.get("data"), str(data.get("licence") or "").strip()
        if self.licence_text:
            self.licence = licences.checked(self.licence_text, "option --licence")
        elif declared:
            self.licence = licences.checked(declared, "clé « licence » du fichier")
        else:
            self.licence = licences.checked(
                licences.GOGOCARTO_DEFAULT, "GoGoCarto, faute de licence dans le fichier"
            )
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
        values = {"name": name}
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
                if str(linked_id) == key:
                    errors.append(
                        f"champ de liens « {source} » : l'élément est lié à lui-même "
                        f"({relation_type}) ; retirez ce lien"
                    )
                    continue
                candidate.links.append(
                    Link(source, relation_type, inverse, str(linked_id), linked_name)
                )
        check_lengths(values, candidate.errors)
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
        check_swapped(latitude, longitude, errors)
        if latitude is not None and longitude is not None and not errors:
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
        return f"Carte GoGoCarto, {candidate.where}, licence : {self.licence.label}"
