"""The data dictionary of the published CSVs, and their Frictionless Data Package.

Nothing here lists a column: every column comes from the exports' own column lists
(`exports.actor_columns()`, `exports.relation_columns()`), each naming the model field it shows,
and what is said of it is read from that field: its French name, help text, type, whether it
may be empty, its choices (the code lists). A new public field, hence a new CSV column, appears
in the dictionary, on its page and in datapackage.json with no edit here.

The page follows the visitor's language; the files (dictionary.json, datapackage.json) are in
French, like the CSVs they describe (https://specs.frictionlessdata.io/data-package/ and
/table-schema/).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors.identifiers import SCHEMES, IdentifierField
from actors.models import Actor
from relations.models import Relation
from tips_map.text import fold

from . import exports

# The CSVs described: the export (its key in exports.EXPORTS), the model of a row, its columns
# (read when described, as the export reads them when it writes).
TABLES = [
    ("actors-csv", Actor, lambda: exports.actor_columns()),
    ("relations-csv", Relation, lambda: exports.relation_columns()),
]
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
TRUE, FALSE = exports.csv_cell(True), exports.csv_cell(False)
REPORT = (
    "Les territoires de l'innovation publique, rapport de la Chaire Transformations de "
    "l'action publique, Sciences Po Lyon, mars 2023"
)


# The Table Schema types, as the page names them.
TYPE_NAMES = {
    "string": gettext_lazy("texte"),
    "integer": gettext_lazy("nombre entier"),
    "number": gettext_lazy("nombre décimal (point)"),
    "boolean": gettext_lazy("oui ou non"),
    "date": gettext_lazy("date (AAAA-MM-JJ)"),
    "datetime": gettext_lazy("date et heure (ISO 8601)"),
}


@dataclass(frozen=True)
class CodeList:
    """The codes a choice field takes, each with its label (in the language active when read)
    and its French label, the one the files hold."""

    key: str  # "actor.type"
    title: str
    codes: list[tuple[str, str]]
    french: list[str]

    def rows(self) -> list[tuple[str, str, str]]:
        return [(code, text, fr) for (code, text), fr in zip(self.codes, self.french, strict=True)]

    @property
    def anchor(self) -> str:
        return "codes-" + self.key.replace(".", "-").replace("_", "-")


@dataclass(frozen=True)
class ColumnDoc:
    """What the dictionary says of one column of a CSV."""

    name: str  # the header, as in the file
    title: str
    description: str
    type: str  # a Table Schema type: string, integer, number, boolean, date, datetime
    required: bool
    codes: CodeList | None = None
    coded_as: str = ""  # "code", "codes" (several, ", "), "label"
    pattern: str = ""
    format: str = ""
    minimum: int | None = None
    # The exported table the column designates a row of ("actors-csv"), for foreign keys.
    refers_to: str = ""
    source: str = ""  # the model field, "actors.Actor.name"
    part: str = "value"  # what of the field (exports.Column.part)

    @property
    def type_name(self) -> str:
        return str(TYPE_NAMES[self.type])

    @property
    def refers_to_name(self) -> str:
        """The name of the table the column designates a row of ("acteurs")."""
        return exports.EXPORTS[self.refers_to].filename if self.refers_to else ""


@dataclass(frozen=True)
class Table:
    key: str
    name: str  # the resource's name: "acteurs"
    title: str
    model: type
    columns: list[ColumnDoc] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)

    @property
    def export(self) -> exports.Export:
        return exports.EXPORTS[self.key]


def tables() -> list[Table]:
    """Every CSV, described in the active language."""
    code_lists: dict = {}
    described = []
    for key, model, columns in TABLES:
        docs = [describe(model, column, code_lists) for column in columns()]
        described.append(
            Table(
                key,
                exports.EXPORTS[key].filename,
                str(model._meta.verbose_name_plural).capitalize(),
                model,
                docs,
                primary_key(model, docs),
            )
        )
    return described


def code_lists(described: list[Table]) -> list[CodeList]:
    """Every code list the tables use, once each, in order of first use."""
    seen = {}
    for table in described:
        for column in table.columns:
            if column.codes:
                seen.setdefault(column.codes.key, column.codes)
    return list(seen.values())


# --- One column ------------------------------------------------------------------------------


def model_field(model, column: exports.Column) -> models.Field | None:
    """The field a column shows; for a column that names none, the field whose name or French
    name is its header ("modifie_le" is "modifié le")."""
    if column.field:
        return model._meta.get_field(column.field)
    wanted = fold(column.header.replace("_", " "))
    with translation.override("fr"):
        for candidate in model._meta.get_fields():
            names = {candidate.name, str(getattr(candidate, "verbose_name", ""))}
            if wanted in {fold(name.replace("_", " ")) for name in names}:
                return candidate
    return None


def describe(model, column: exports.Column, known: dict) -> ColumnDoc:
    found = model_field(model, column)
    if found is None:
        return ColumnDoc(column.header, column.header, "", "string", False, part="")
    describer = PARTS.get(column.part, value_column)
    values = describer(found, known)
    return ColumnDoc(
        name=column.header,
        source=f"{model._meta.label}.{found.name}",
        part=column.part,
        required=values.pop("required", is_required(found)),
        **{"title": title_of(found), "description": "", "type": "string", **values},
    )


def is_reverse(found) -> bool:
    """A relation seen from the other side: the actor's contacts."""
    return found.auto_created and not found.concrete


def title_of(found) -> str:
    if is_reverse(found):
        return str(found.related_model._meta.verbose_name_plural).capitalize()
    if found.primary_key:
        return _("Identifiant")
    return str(found.verbose_name).capitalize()


def is_required(found) -> bool:
    if is_reverse(found) or found.many_to_many:
        return False
    return found.primary_key or not (found.blank or found.null)


def value_column(found, known: dict) -> dict:
    """The field's own value: a code of its list, a record's identifier, a number, a date…"""
    if is_reverse(found):
        return {"description": _("« Nom — fonction » de chaque personne, séparés par « ; ».")}
    help_text = str(found.help_text or "")
    if found.choices:
        return {"codes": code_list(found, known), "coded_as": "code", "description": help_text}
    if found.many_to_many:
        codes = code_list(found.related_model._meta.pk, known)
        return {
            "codes": codes,
            "coded_as": "codes",
            "pattern": several(codes),
            "description": " ".join([help_text, _("Codes séparés par « , ».")]).strip(),
        }
    if found.primary_key:
        return {
            "type": "integer",
            "description": _("Numéro unique, le même que l'« id » de l'API."),
        }
    if found.many_to_one:
        return linked_record(found, help_text)
    kind, extra = schema_type(found)
    hints = {"boolean": _("« %(true)s » ou « %(false)s ».") % {"true": TRUE, "false": FALSE}}
    if isinstance(found, models.SlugField):
        hints["string"] = _(
            "Lettres, chiffres et tirets, stable : l'adresse de sa page sur le site."
        )
    text = " ".join(filter(None, [help_text, hints.get(kind, "")]))
    return {"type": kind, "description": text, **extra}


def linked_record(found, help_text: str) -> dict:
    """A foreign key: the linked record's identifier (its slug, its page's address)."""
    related = found.related_model
    exported = next((key for key, model, _c in TABLES if model is related), "")
    if exported:
        about = _("Un identifiant de la colonne « identifiant » du fichier %(file)s.csv.") % {
            "file": exports.EXPORTS[exported].filename
        }
    else:
        about = _("L'identifiant (%(record)s), celui de son adresse sur le site.") % {
            "record": related._meta.verbose_name
        }
    return {
        "description": " ".join(filter(None, [about, help_text])),
        "pattern": SLUG_PATTERN,
        "refers_to": exported,
    }


def label_column(found, known: dict) -> dict:
    return {
        "title": _("%(field)s (libellé)") % {"field": title_of(found)},
        "codes": code_list(found, known),
        "coded_as": "label",
        "description": _("En toutes lettres : le libellé français d'un code de la liste."),
    }


def name_column(found, known: dict) -> dict:
    return {
        "title": _("%(field)s (nom)") % {"field": title_of(found)},
        "description": _("Le nom affiché de l'enregistrement désigné."),
    }


def departement_column(found, known: dict) -> dict:
    return {
        "title": _("Département"),
        "description": _("Le nom du département où se trouve le territoire."),
        "required": False,
    }


def directed_column(found, known: dict) -> dict:
    return {
        "title": _("Orientée"),
        "type": "boolean",
        "description": _(
            "« %(true)s » pour une prestation de service (de l'acteur source, le prestataire, "
            "vers l'acteur cible, le bénéficiaire) ; « %(false)s » pour le partage "
            "d'informations et la collaboration, dont le sens n'a pas de signification."
        )
        % {"true": TRUE, "false": FALSE},
        "required": True,
    }


PARTS: dict[str, Callable] = {
    "value": value_column,
    "label": label_column,
    "name": name_column,
    "departement": departement_column,
    "directed": directed_column,
}


def schema_type(found) -> tuple[str, dict]:
    """The Table Schema type of a field's value as the CSV writes it (exports.csv_cell)."""
    if isinstance(found, models.BooleanField):
        return "boolean", {}
    if isinstance(found, models.DateTimeField):
        return "datetime", {}
    if isinstance(found, models.DateField):
        return "date", {}
    if isinstance(found, (models.PositiveIntegerField, models.PositiveSmallIntegerField)):
        return "integer", {"minimum": 0}
    if isinstance(found, models.IntegerField):
        return "integer", {}
    if isinstance(found, (models.FloatField, models.DecimalField)):
        return "number", {}
    if isinstance(found, models.SlugField):
        return "string", {"pattern": SLUG_PATTERN}
    if isinstance(found, IdentifierField):  # a register's number, as the register writes it
        return "string", {"pattern": SCHEMES[found.scheme].pattern}
    if isinstance(found, models.URLField):
        return "string", {"format": "uri"}
    return "string", {}


def code_list(found, known: dict) -> CodeList:
    """The field's code list; fields sharing their choices share one list (the actor type of
    secondary types, the provenance of actors and relations)."""
    codes = [(str(code), str(text)) for code, text in found.choices]
    key = tuple(code for code, _text in codes)
    if key not in known:
        model = found.model._meta.model_name
        with translation.override("fr"):
            french = [str(text) for _code, text in found.choices]
        title = str(found.verbose_name).capitalize()
        known[key] = CodeList(f"{model}.{found.name}", title, codes, french)
    return known[key]


def several(codes: CodeList) -> str:
    """A pattern for codes of the list separated by ", "."""
    one = "(" + "|".join(code for code, _label in codes.codes) + ")"
    return f"^{one}(, {one})*$"


def primary_key(model, columns: list[ColumnDoc]) -> list[str]:
    """The columns that tell rows apart: the model's primary key if a column shows it, else
    the fields of its first unique constraint (an actor's slug)."""
    values = {c.source: c.name for c in columns if c.part == "value"}
    label = model._meta.label
    candidates = [[model._meta.pk.name]] + [
        list(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields
    ]
    for fields in candidates:
        names = [values.get(f"{label}.{name}") for name in fields]
        if all(names):
            return names
    return []


# --- The dictionary as a file ----------------------------------------------------------------


def as_data(path_of: Callable[[exports.Export], str]) -> dict:
    """The dictionary for dictionnaire.json, in French like the files it describes."""
    with translation.override("fr"):
        described = tables()
        return {
            "tables": [
                {
                    "name": table.name,
                    "title": table.title,
                    "path": path_of(table.export),
                    "primaryKey": table.primary_key,
                    "columns": [column_data(column) for column in table.columns],
                }
                for table in described
            ],
            "codeLists": [
                {
                    "key": codes.key,
                    "title": codes.title,
                    "codes": [{"code": code, "label": text} for code, text in codes.codes],
                }
                for codes in code_lists(described)
            ],
        }


def column_data(column: ColumnDoc) -> dict:
    data = {
        "name": column.name,
        "title": column.title,
        "description": column.description,
        "type": column.type,
        "required": column.required,
    }
    if column.codes:
        data |= {"codeList": column.codes.key, "codedAs": column.coded_as}
    for name in ("pattern", "format"):
        if getattr(column, name):
            data[name] = getattr(column, name)
    return data
