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

from opendata.models import ImportSystem

from ._import_command import ImportCommand


class Command(ImportCommand):
    system = ImportSystem.GOGOCARTO
    help = "Import actors and relations from a GoGoCarto elements.json file."

    mappings = [
        (
            "--category",
            "CATÉGORIE=TYPE",
            "Catégorie GoGoCarto → type d'acteur (« -» pour l'ignorer).",
        ),
        (
            "--link",
            "CHAMP=TYPE[:inverse]",
            "Champ de liens → type de relation (partage_information, prestation_service, "
            "collaboration).",
        ),
        (
            "--map",
            "CHAMP=CHAMP_ACTEUR",
            "Champ du formulaire → champ de l'acteur (missions, website, acronym, short_name, "
            "status, founded_year, scope).",
        ),
    ]
