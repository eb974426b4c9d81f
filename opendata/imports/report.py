"""What an import says it did, row by row: the candidates read from a file, and the report."""

import hashlib
import json
from dataclasses import dataclass, field

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


def similar_line(flag, site_url: str = "") -> str:
    """A row's possible duplicate, as the moderation page says it."""
    if flag.slug:
        return (
            f"acteur proche déjà sur la carte : {flag.name} ({site_url}{flag.get_absolute_url()})"
        )
    return f"ligne proche plus haut dans le fichier : {flag.where}, {flag.name}"


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
    # What a row proposed as a new actor may duplicate (contributions.proposals.similar).
    similar: list = field(default_factory=list)

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

    def lines(self, site_url: str = "") -> list[str]:
        """The report as plain text, for the command; `site_url` starts the links."""
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
            out += [f"    {similar_line(flag, site_url)}" for flag in row.similar]
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
