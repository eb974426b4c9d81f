"""Publish a citable release of the data: manage.py publish_release 2027.1 [--title …]."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from opendata import releases


class Command(BaseCommand):
    help = (
        "Fige les données publiées en une version citable (fichiers, API, changements), "
        "comme le formulaire de /donnees/versions/publier/."
    )

    def add_arguments(self, parser):
        parser.add_argument("version", help="Numéro de version, par exemple 2027.1")
        parser.add_argument("--title", default="", help="Titre (facultatif)")
        parser.add_argument("--notes", default="", help="Notes, en français (facultatives)")

    def handle(self, *args, version: str, title: str, notes: str, **options):
        try:
            release = releases.publish(version, title=title, notes=notes)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        counts = release.changelog_counts
        summary = str(releases.FIRST) if counts is None else self.summary(counts)
        self.stdout.write(
            f"Version {release.version} publiée : {release.actor_count} acteurs, "
            f"{release.relation_count} relations ({summary})."
        )

    @staticmethod
    def summary(counts: dict) -> str:
        return " ; ".join(
            f"{name} +{c['added']} −{c['removed']} ~{c['changed']}"
            for name, c in (("acteurs", counts["actors"]), ("relations", counts["relations"]))
        )
