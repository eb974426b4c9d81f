"""datapackage.json: the published CSVs as a Frictionless Tabular Data Package.

One resource per CSV, its Table Schema read from the data dictionary (opendata/dictionary.py),
its dialect from the CSV writer's (exports.CSV_DIALECT); the package's licence, sources,
contributors and date from what the other files already say (exports.licence, the data date).
Specifications: https://specs.frictionlessdata.io/data-package/, /tabular-data-resource/,
/table-schema/ and /csv-dialect/. Always in French, like the CSVs.
"""

from collections.abc import Callable

from django.utils import translation

from . import dictionary, exports

ETALAB = "etalab-2.0"  # the Open Definition / SPDX identifier of Licence Ouverte 2.0


def descriptor(path_of: Callable[[exports.Export], str], homepage: str = "") -> dict:
    """The package; `path_of(export)` is where each CSV is found (its download URL)."""
    moment = exports.data_datetime()
    with translation.override("fr"):
        tables = dictionary.tables()
        package = {
            "profile": "tabular-data-package",
            "name": "tips-map",
            "title": "TIPs map — acteurs organisés de l'innovation publique et leurs relations",
            "description": exports.description(exports.data_date(moment)),
            "created": moment.isoformat(),
            "licenses": [licence()],
            "sources": [{"title": dictionary.REPORT}],
            "contributors": [
                {"title": exports.CREATOR, "role": "author"},
                {
                    "title": "Les contributeurs de TIPs map (propositions validées par la chaire)",
                    "role": "contributor",
                },
            ],
            "keywords": ["innovation publique", "acteurs", "réseau", "Auvergne-Rhône-Alpes"],
            "resources": [resource(table, path_of(table.export), tables) for table in tables],
        }
    if homepage:
        package["homepage"] = homepage
    return package


def licence() -> dict:
    terms = exports.licence()
    described = {"path": terms["url"], "title": terms["name"]}
    if terms["url"] == exports.DEFAULT_LICENCE_URL:
        described["name"] = ETALAB
    return described


def resource(table: dictionary.Table, path: str, tables: list[dictionary.Table]) -> dict:
    dialect = exports.CSV_DIALECT
    return {
        "profile": "tabular-data-resource",
        "name": table.name,
        "title": table.title,
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        # The file starts with a byte order mark (for French Excel), which UTF-8 readers skip.
        "encoding": "utf-8",
        "dialect": {
            "delimiter": dialect["delimiter"],
            "lineTerminator": dialect["lineterminator"],
            "quoteChar": dialect["quotechar"],
            "doubleQuote": dialect["doublequote"],
            "header": True,
        },
        "schema": schema(table, {t.key: t for t in tables}),
    }


def schema(table: dictionary.Table, tables: dict[str, dictionary.Table]) -> dict:
    described = {
        "fields": [schema_field(column) for column in table.columns],
        "missingValues": [""],
        "primaryKey": table.primary_key,
    }
    keys = [
        {
            "fields": column.name,
            "reference": {
                # "" is the table itself (an actor's parent organisation).
                "resource": "" if column.refers_to == table.key else tables[column.refers_to].name,
                "fields": tables[column.refers_to].primary_key[0],
            },
        }
        for column in table.columns
        if column.refers_to
    ]
    if keys:
        described["foreignKeys"] = keys
    return described


def schema_field(column: dictionary.ColumnDoc) -> dict:
    described = {"name": column.name, "title": column.title, "type": column.type}
    if column.description:
        described["description"] = column.description
    if column.format:
        described["format"] = column.format
    if column.type == "boolean":
        described |= {"trueValues": [dictionary.TRUE], "falseValues": [dictionary.FALSE]}
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.codes and column.coded_as in ("code", "label"):
        index = 0 if column.coded_as == "code" else 1
        constraints["enum"] = [pair[index] for pair in column.codes.codes]
    if column.pattern:
        constraints["pattern"] = column.pattern
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if constraints:
        described["constraints"] = constraints
    return described
