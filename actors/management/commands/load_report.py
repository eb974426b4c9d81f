"""Load the report's ecosystem (fixtures/report/*.yaml) into the database, idempotently.

Territories first (load_territories), then actors, their parents, then relations. Running it
again changes nothing unless the files changed; every change made is recorded in the history
with the report as its reason. The format is described in fixtures/report/SCHEMA.md.
"""

import datetime
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actors.models import Actor, ActorType, ActorTypeEntry, LocationPrecision
from relations.models import Relation
from territories.models import Level, Territory
from tips_map.sources import ProvenanceKind

CHANGE_REASON = "Chargement des données du rapport de la chaire (mars 2023)"
REPORT_DATE = datetime.date(2023, 3, 1)
REPORT_DIR = settings.BASE_DIR / "fixtures" / "report"


def format_lines(lines) -> str:
    """[798, 799, 800, 1540] -> "798-800, 1540"."""
    numbers = sorted({int(n) for n in lines or []})
    ranges = []
    for number in numbers:
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in ranges)


class Command(BaseCommand):
    help = "Load the report's territories, actors and relations (fixtures/report/)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(REPORT_DIR))

    @transaction.atomic
    def handle(self, *args, **options):
        folder = Path(options["dir"])
        actors = yaml.safe_load((folder / "actors.yaml").read_text(encoding="utf-8"))
        relations = yaml.safe_load((folder / "relations.yaml").read_text(encoding="utf-8"))

        # The type rows come from a data migration, but a test database flush removes them.
        for key in ActorType.values:
            ActorTypeEntry.objects.get_or_create(key=key)
        call_command("load_territories", stdout=self.stdout)
        communes = {t.code: t for t in Territory.objects.filter(level=Level.COMMUNE)}

        # A report actor that a moderator merged into another stays merged (the merge wins): it
        # is not loaded again, nor are its relations; its services are its absorber's.
        merged = {
            a.slug: Actor.objects.absorber(a.slug) for a in Actor.every.exclude(merged_into=None)
        }
        actors = [entry for entry in actors if entry["slug"] not in merged]
        relations = [r for r in relations if not {r["source"], r["target"]} & set(merged)]
        by_slug = {a.slug: a for a in Actor.objects.all()} | merged
        created = updated = 0
        for entry in actors:
            actor = by_slug.get(entry["slug"]) or Actor(slug=entry["slug"])
            is_new = actor.pk is None
            changed = actor.publish(
                self.actor_values(entry, communes),
                reason=CHANGE_REASON,
                secondary_types=entry.get("secondary_types") or [],
                contacts=[(c["name"], c.get("function")) for c in entry.get("contacts") or []],
            )
            created += is_new
            updated += bool(changed) and not is_new
            by_slug[actor.slug] = actor

        for entry in actors:  # parents may come after their services in the file
            parent = by_slug[entry["parent"]] if entry.get("parent") else None
            by_slug[entry["slug"]].publish({"parent": parent}, reason=CHANGE_REASON)

        relation_count = self.load_relations(relations, by_slug)
        self.stdout.write(
            f"Actors: {created} created, {updated} updated, {len(actors)} in the report; "
            f"relations: {relation_count} created or updated, {len(relations)} in the report"
        )

    def actor_values(self, entry: dict, communes: dict) -> dict:
        unknown = {entry["type"], *entry.get("secondary_types", [])} - set(ActorType.values)
        if unknown:
            raise CommandError(f"{entry['slug']}: unknown type(s) {sorted(unknown)}")
        commune = None
        if entry.get("commune"):
            commune = communes.get(str(entry["commune"]))
            if commune is None:
                raise CommandError(
                    f"{entry['slug']}: commune {entry['commune']} is not in territories.json "
                    "(rerun build_territories)"
                )
        if entry.get("latitude") is not None:
            latitude, longitude = entry["latitude"], entry["longitude"]
            precision = entry.get("location_precision") or (
                LocationPrecision.ADDRESS if entry.get("address") else LocationPrecision.APPROXIMATE
            )
        elif commune is not None:
            # The report rarely gives addresses: place the actor at its commune's town hall and
            # say so on its card rather than invent a position.
            latitude, longitude = commune.center_latitude, commune.center_longitude
            precision = entry.get("location_precision") or LocationPrecision.COMMUNE
        else:
            raise CommandError(f"{entry['slug']}: needs a commune or coordinates")
        return {
            "name": entry["name"],
            "short_name": entry.get("short_name") or "",
            "acronym": entry.get("acronym") or "",
            "type": entry["type"],
            "type_inferred": bool(entry.get("type_inferred")),
            "status": entry.get("status") or "",
            "missions": (entry.get("missions") or "").strip(),
            "scope": entry.get("scope") or "",
            "commune_name": commune.name if commune else entry.get("commune_name", ""),
            "address": entry.get("address") or "",
            "country": entry.get("country") or "FR",
            "latitude": latitude,
            "longitude": longitude,
            "location_precision": precision,
            "website": entry.get("website") or "",
            "lifecycle": entry.get("lifecycle") or "actif",
            "founded_year": entry.get("founded_year"),
            "ended_year": entry.get("ended_year"),
            "provenance": ProvenanceKind.REPORT,
            "provenance_detail": settings.REPORT_TITLE,
            "report_lines": format_lines(entry.get("lines")),
            "checked_on": REPORT_DATE,
        }

    @staticmethod
    def load_relations(entries: list, by_slug: dict) -> int:
        count = 0
        relations = Relation.objects.of_records(entries, by_slug)
        try:
            for entry, relation in relations:
                values = {
                    "description": (entry.get("description") or "").strip(),
                    "start_year": entry.get("start_year"),
                    "end_year": entry.get("end_year"),
                    "provenance": ProvenanceKind.REPORT,
                    "provenance_detail": settings.REPORT_TITLE,
                    "report_lines": format_lines(entry.get("lines")),
                    "checked_on": REPORT_DATE,
                }
                count += bool(relation.publish(values, reason=CHANGE_REASON))
        except LookupError as unknown:
            raise CommandError(str(unknown)) from None
        return count
