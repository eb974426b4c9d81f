"""What the two import commands share: options, the importing user, the report, the exit code.

Each command names its format (`system`) and adds that format's own options, named as the keys
that opendata.imports.importer.make_parser reads: the import page makes its parsers there too."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from opendata.imports.importer import Importer, make_parser
from opendata.imports.report import BadOption
from opendata.models import ImportSystem


def add_repeatable_argument(parser, flag: str, metavar: str, help: str) -> None:
    """An option given once per mapping: --map "A=b" --map "C=d"."""
    parser.add_argument(flag, action="append", default=[], metavar=metavar, help=help)


class ImportCommand(BaseCommand):
    system: ImportSystem
    # The format's mappings, each given once per pair: (flag, metavar, help).
    mappings: list[tuple[str, str, str]] = []

    def add_arguments(self, parser):
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
        parser.add_argument(
            "--licence",
            default="",
            help="Licence de la source : etalab-2.0, cc-by-4.0, cc0-1.0, odc-by-1.0… "
            "(obligatoire pour un CSV ; GoGoCarto : la clé « licence » du fichier, sinon "
            "ODbL). Une licence à partage à l'identique (ODbL, CC-BY-SA) est refusée.",
        )
        add_repeatable_argument(
            parser,
            "--accept-similar",
            "LIGNE",
            "Publie cette ligne (numéro de ligne ou identifiant d'élément) bien que son nom "
            "soit proche de celui d'un acteur publié.",
        )
        for flag, metavar, help in self.mappings:
            add_repeatable_argument(parser, flag, metavar, help)
        self.add_format_arguments(parser)

    def add_format_arguments(self, parser) -> None:
        """The format's other options, if any."""

    def handle(self, *args, **options):
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
            parser = make_parser(self.system, options)
        except BadOption as error:
            raise CommandError(str(error)) from None
        report = Importer(
            parser,
            dry_run=options["dry_run"],
            to_moderation=options["to_moderation"],
            user=user,
            email=options["email"],
            accept_similar=options["accept_similar"],
        ).run(content)
        for line in report.lines(settings.SITE_URL):
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(
                f"{report.error_count} erreur(s) dans {path.name} : rien n'a été importé."
            )
