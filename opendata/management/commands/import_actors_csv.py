"""Import actors from a CSV file in the format of the report's actors file (annex 2.2).

    manage.py import_actors_csv acteurs.csv --dry-run
    manage.py import_actors_csv acteurs.csv --map "Structure=name" --map "Catégorie=type"

Columns by default: "Type d'acteur", "Organisation - Service", "Statut administratif",
"Missions", "portée/ville", "Site", "Noms", "Fonctions". The encoding (UTF-8 with or without BOM,
else cp1252) and the delimiter (";", "," or tab) are detected. One transaction: any error, and
nothing is written (exit code 1).
"""

from opendata.imports.csv_file import CSV_FIELDS
from opendata.models import ImportSystem

from ._import_command import ImportCommand


class Command(ImportCommand):
    system = ImportSystem.CSV
    help = "Import actors from a CSV file in the format of the report's actors file."

    mappings = [
        (
            "--map",
            "COLONNE=CHAMP",
            "Correspondance d'une colonne, par exemple « Structure=name ». Champs : "
            + ", ".join(CSV_FIELDS),
        )
    ]

    def add_format_arguments(self, parser):
        parser.add_argument("--delimiter", default="", help="« ; », « , » ou « tab » (détecté)")
        parser.add_argument("--encoding", default="", help="utf-8, cp1252… (détecté)")
