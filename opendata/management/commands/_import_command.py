"""What the two import commands share: options, the importing user, the report, the exit code."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from opendata.imports.importer import Importer
from opendata.imports.report import BadOption


def add_common_arguments(parser) -> None:
    parser.add_argument("file", help="Fichier à importer")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="Essai à blanc : dit ligne par ligne ce qui serait créé, mis à jour ou ignoré, "
        "sans rien écrire.",
    )
    parser.add_argument(
        "--to-moderation",
        action="store_true",
        help="Envoie chaque acteur nouveau ou modifié dans la file de modération au lieu de "
        "le publier.",
    )
    parser.add_argument(
        "--user",
        default="",
        help="Identifiant du modérateur qui importe (son adresse est celle des propositions).",
    )
    parser.add_argument(
        "--email", default="", help="Adresse des propositions envoyées en modération."
    )


def run_import(command, make_parser, options) -> None:
    path = Path(options["file"])
    try:
        content = path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path} : {error.strerror}") from None
    user = None
    if options["user"]:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"utilisateur « {options['user']} » inconnu")
    try:
        parser = make_parser(options)
    except BadOption as error:
        raise CommandError(str(error)) from None
    report = Importer(
        parser,
        dry_run=options["dry_run"],
        to_moderation=options["to_moderation"],
        user=user,
        email=options["email"],
    ).run(content)
    for line in report.lines():
        command.stdout.write(line)
    if not report.ok:
        raise CommandError(
            f"{report.error_count} erreur(s) dans {path.name} : rien n'a été importé."
        )
