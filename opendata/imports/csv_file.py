"""The report's actors file (annex 2.2) as CSV: its columns, encodings and delimiters."""

import codecs
import csv
import datetime
import io
import re

from actors.identifiers import (
    IDENTIFIER_FIELDS,
    MISMATCH,
    SCHEMES,
    mismatch,
    normalised,
    problem,
)
from actors.models import Lifecycle, LocationPrecision

from ..models import ImportSystem
from . import licences
from .report import BadFile, BadOption, Candidate, ImportReport
from .vocabulary import (
    STATUS_NAMES,
    Communes,
    check_lengths,
    check_swapped,
    check_url,
    default_type_names,
    norm,
    parse_coordinate,
    parse_pairs,
    parse_type,
    scope_of,
    split_lifecycle,
    unknown_choice,
)

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
    **{key: key for key in IDENTIFIER_FIELDS},  # siren, siret, rna, wikidata
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
        *((scheme.label, key) for key, scheme in SCHEMES.items()),
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


def csv_problem(error: csv.Error) -> str:
    """Python's csv messages, in French."""
    if "unexpected end of data" in str(error):
        return "guillemet ouvert et jamais fermé : la cellule court jusqu'à la fin du fichier"
    if "expected after" in str(error):
        return 'guillemet au milieu d\'une cellule : doublez-le (« "" ») ou entourez la cellule'
    return f"ligne illisible ({error})"


class CsvParser:
    system = ImportSystem.CSV
    contributor_name = "Import CSV"

    def __init__(self, columns=None, delimiter: str = "", encoding: str = "", licence: str = ""):
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
        # A CSV file says nothing of its licence: whoever imports it declares it (required).
        self.licence_text = licence.strip()
        self.licence = None

    def parse(self, content: bytes, report: ImportReport) -> list[Candidate]:
        self.licence = licences.checked(self.licence_text, "option --licence")
        text, report.encoding = decode(content, self.encoding)
        if not text.strip():
            raise BadFile("le fichier est vide")
        header_line = text.lstrip("\ufeff").splitlines()[0]
        report.delimiter = self.delimiter or sniff_delimiter(header_line)
        # Strict: a quote opened and never closed is an error, not a cell to the end of file.
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=report.delimiter, strict=True)
        try:
            headers = next(reader)
        except csv.Error as error:
            raise BadFile(f"ligne 1 : {csv_problem(error)}") from None
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
        start = reader.line_num + 1  # where the record read starts: a quoted cell spans lines
        try:
            for cells in reader:
                where, start = f"ligne {start}", reader.line_num + 1
                if not any(c.strip() for c in cells):
                    continue
                row = {
                    n: (cells[i].strip() if i < len(cells) else "") for n, i in positions.items()
                }
                candidate = self.candidate(row, where, communes)
                extra = [c for c in cells[len(headers) :] if c.strip()]
                if extra:
                    candidate.errors.append(
                        f"{len(cells)} cellules pour {len(headers)} colonnes d'en-tête (en trop : "
                        + ", ".join(f"« {c.strip()[:40]} »" for c in extra)
                        + ") ; un séparateur dans une cellule sans guillemets ?"
                    )
                candidates.append(candidate)
        except csv.Error as error:
            raise BadFile(f"ligne {start} : {csv_problem(error)}") from None
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
                f"type d'acteur : {unknown_choice(row['type'])} (attendu : 1 à 7, "
                "par exemple « 1. Cellule d'innovation »)"
            )
        values = {"name": name, "type": actor_type or ""}
        if row.get("status"):
            status = STATUS_NAMES.get(norm(row["status"]))
            if status:
                values["status"] = status
            else:
                warnings.append(f"statut administratif « {row['status']} » inconnu : ignoré")
        for name in ("missions", "short_name", "acronym", "address"):
            if row.get(name):
                values[name] = row[name]
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
        for key in IDENTIFIER_FIELDS:  # the model's rules, said per row
            if row.get(key):
                wrong = problem(key, row[key])
                if wrong:
                    errors.append(f"{SCHEMES[key].label} « {row[key]} » : {wrong}")
                else:
                    values[key] = normalised(key, row[key])
        if mismatch(values.get("siren", ""), values.get("siret", "")):
            errors.append(f"SIRET « {row['siret']} » : {MISMATCH}")
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
        check_lengths(values, errors)
        candidate.values = values
        return candidate

    @staticmethod
    def locate(row: dict, values: dict, candidate: Candidate, communes: Communes) -> None:
        latitude = parse_coordinate(row.get("latitude"), "latitude", 90, candidate.errors)
        longitude = parse_coordinate(row.get("longitude"), "longitude", 180, candidate.errors)
        check_swapped(latitude, longitude, candidate.errors)
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
        return f"Fichier d'acteurs (CSV), {candidate.where}, licence : {self.licence.label}"
