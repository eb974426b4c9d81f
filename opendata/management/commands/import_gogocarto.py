"""Import actors and relations from a GoGoCarto map's public API (/api/elements.json).

    manage.py import_gogocarto elements.json --dry-run
    manage.py import_gogocarto elements.json --category "Cellule d'innovation=cellule_innovation" \
        --link "partage_infos=partage_information" --link "prestataires=prestation_service:inverse"

Categories give the actor type (the first known one is the main type, the others secondary);
link fields ({"<elementId>": "<name>"}) give relations, the element being the source (for
prestation_service: the provider; ":inverse" when the linked element is the provider). Elements
refused, deleted or pending on GoGoCarto are never published (see opendata/imports/gogocarto.py). The
contributors' emails of the file are never read into the map.
"""

from django.core.management.base import BaseCommand

from opendata.imports.gogocarto import GogocartoParser

from ._import_common import add_common_arguments, run_import


class Command(BaseCommand):
    help = "Import actors and relations from a GoGoCarto elements.json file."

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument(
            "--category",
            action="append",
            default=[],
            metavar="CATÉGORIE=TYPE",
            help="Catégorie GoGoCarto → type d'acteur (« -» pour l'ignorer).",
        )
        parser.add_argument(
            "--link",
            action="append",
            default=[],
            metavar="CHAMP=TYPE[:inverse]",
            help="Champ de liens → type de relation (partage_information, prestation_service, "
            "collaboration).",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="CHAMP=CHAMP_ACTEUR",
            help="Champ du formulaire → champ de l'acteur (missions, website, acronym, "
            "short_name, status, founded_year, scope).",
        )

    def handle(self, *args, **options):
        run_import(
            self,
            lambda o: GogocartoParser(categories=o["category"], links=o["link"], fields=o["map"]),
            options,
        )
