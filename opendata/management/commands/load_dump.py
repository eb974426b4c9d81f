"""Load a full TIPs map export (/donnees/tips-map.json) into this database, idempotently.

Made for an empty database (a new instance, a restore), it also updates one that already holds
some of the records: territories are matched by level and code, actors by slug, relations by
their two actors and type. Nothing is deleted. Every change goes through the ORM, so the history
records it with the reason "Import d'un export TIPs map du <date>"; running the command again
on the same file changes nothing.
"""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from actors.models import Actor, ActorType, ActorTypeEntry, Contact
from opendata.exports import DUMP_FORMAT, DUMP_VERSION
from relations.models import Relation
from territories.models import Territory

TERRITORY_FIELDS = ["name", "slug", "center_latitude", "center_longitude", "population", "boundary"]
ACTOR_FIELDS = [
    "name",
    "short_name",
    "acronym",
    "type",
    "type_inferred",
    "status",
    "missions",
    "scope",
    "commune_name",
    "address",
    "country",
    "latitude",
    "longitude",
    "location_precision",
    "territory_set_by_hand",
    "website",
    "lifecycle",
    "founded_year",
    "ended_year",
    "provenance",
    "provenance_detail",
    "report_lines",
]
RELATION_FIELDS = [
    "description",
    "start_year",
    "end_year",
    "provenance",
    "provenance_detail",
    "report_lines",
]


def assign(instance, values: dict) -> bool:
    """Set the values on the instance; tell whether anything changed."""
    changed = False
    for field, value in values.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed = True
    return changed


# Fields whose empty value is None rather than "", and the yes/no ones.
NULLABLE = {"latitude", "longitude", "founded_year", "ended_year", "start_year", "end_year"}
BOOLEAN = {"type_inferred", "territory_set_by_hand"}


def cleaned(values: dict) -> dict:
    """Missing text becomes "", missing flags False; numbers stay None."""
    return {
        field: bool(value)
        if field in BOOLEAN
        else ("" if value is None and field not in NULLABLE else value)
        for field, value in values.items()
    }


def change_reason(dump: dict) -> str:
    moment = parse_datetime(str(dump.get("date") or "")) or parse_date(str(dump.get("date")))
    day = moment.date() if isinstance(moment, datetime.datetime) else moment
    return (
        f"Import d'un export TIPs map du {day:%d/%m/%Y}" if day else "Import d'un export TIPs map"
    )


class Command(BaseCommand):
    help = "Load a full TIPs map export (format tips-map-dump) into the database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file downloaded from /donnees/tips-map.json")

    def handle(self, *args, **options):
        try:
            dump = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read {options['file']}: {error}") from None
        if not isinstance(dump, dict) or dump.get("format") != DUMP_FORMAT:
            raise CommandError(f"not a {DUMP_FORMAT} file")
        if dump.get("version") != DUMP_VERSION:
            raise CommandError(f"unsupported version {dump.get('version')!r} (expected 1)")
        self.reason = change_reason(dump)
        with transaction.atomic():
            counts = self.load(dump)
        self.stdout.write(
            "Territories: {territories}, actors: {actors}, relations: {relations} "
            "created or updated".format(**counts)
        )

    def load(self, dump: dict) -> dict:
        territories, territory_count = self.load_territories(dump.get("territories") or [])
        for key in ActorType.values:
            ActorTypeEntry.objects.get_or_create(key=key)
        actors, actor_count = self.load_actors(dump.get("actors") or [], territories)
        relation_count = self.load_relations(dump.get("relations") or [], actors)
        return {
            "territories": territory_count,
            "actors": actor_count,
            "relations": relation_count,
        }

    def save(self, instance, **kwargs) -> None:
        instance._change_reason = self.reason
        instance.save(**kwargs)

    def load_territories(self, records: list) -> tuple[dict, int]:
        existing = {(t.level, t.code): t for t in Territory.objects.all()}
        count = 0
        for record in records:  # the export lists parents before their children
            parent = None
            if record.get("parent"):
                parent = existing.get(tuple(record["parent"]))
                if parent is None:
                    raise CommandError(f"territory {record['code']}: unknown parent")
            center = record.get("center") or [None, None]
            values = {
                "name": record["name"],
                "slug": record["slug"],
                "parent": parent,
                "center_latitude": center[0],
                "center_longitude": center[1],
                "population": record.get("population"),
                "boundary": record.get("boundary"),
            }
            key = (record["level"], record["code"])
            territory = existing.get(key) or Territory(level=key[0], code=key[1])
            if assign(territory, values) or territory.pk is None:
                self.save(territory)
                count += 1
            existing[key] = territory
        return existing, count

    def load_actors(self, records: list, territories: dict) -> tuple[dict, int]:
        by_slug = {a.slug: a for a in Actor.objects.all()}
        touched = set()
        for record in records:  # in the source's creation order, which keeps relation order
            actor = by_slug.get(record["slug"]) or Actor(slug=record["slug"])
            values = {field: record.get(field) for field in ACTOR_FIELDS}
            values = cleaned(values)
            values["checked_on"] = (
                parse_date(record["checked_on"]) if record.get("checked_on") else None
            )
            territory = None
            if record.get("territory"):
                territory = territories.get(tuple(record["territory"]))
                if territory is None:
                    raise CommandError(f"{record['slug']}: unknown territory {record['territory']}")
            values["territory"] = territory
            if assign(actor, values) or actor.pk is None:
                # The export's territory is authoritative (derived or fixed by hand at the
                # source): do not derive it again from the coordinates.
                actor.locate = lambda: None
                self.save(actor)
                del actor.locate
                touched.add(actor.slug)
            by_slug[actor.slug] = actor
            if self.sync_children(actor, record):
                touched.add(actor.slug)

        for record in records:  # parents may come after their services in the file
            actor = by_slug[record["slug"]]
            parent = None
            if record.get("parent"):
                parent = by_slug.get(record["parent"])
                if parent is None:
                    raise CommandError(f"{record['slug']}: unknown parent {record['parent']}")
            if actor.parent_id != (parent.pk if parent else None):
                actor.parent = parent
                actor.locate = lambda: None
                self.save(actor)
                del actor.locate
                touched.add(actor.slug)
        return by_slug, len(touched)

    def sync_children(self, actor: Actor, record: dict) -> bool:
        changed = False
        wanted_types = set(record.get("secondary_types") or []) - {actor.type}
        unknown = wanted_types - set(ActorType.values)
        if unknown:
            raise CommandError(f"{actor.slug}: unknown type(s) {sorted(unknown)}")
        if wanted_types != {t.key for t in actor.secondary_types.all()}:
            actor.secondary_types.set(sorted(wanted_types))
            changed = True

        wanted = [(c["name"], c.get("function") or "") for c in record.get("contacts") or []]
        if wanted != [(c.name, c.function) for c in actor.contacts.order_by("position", "id")]:
            for contact in actor.contacts.all():
                contact._change_reason = self.reason
                contact.delete()
            for position, (name, function) in enumerate(wanted):
                self.save(Contact(actor=actor, name=name, function=function, position=position))
            changed = True
        return changed

    def load_relations(self, records: list, actors: dict) -> int:
        count = 0
        for record in records:
            try:
                source, target = actors[record["source"]], actors[record["target"]]
            except KeyError as missing:
                raise CommandError(f"relation {record}: unknown actor {missing}") from None
            relation = Relation.objects.stored_or_new(source, target, record["type"])
            values = {field: record.get(field) for field in RELATION_FIELDS}
            values = cleaned(values)
            values["checked_on"] = (
                parse_date(record["checked_on"]) if record.get("checked_on") else None
            )
            if assign(relation, values) or relation.pk is None:
                self.save(relation)
                count += 1
        return count
