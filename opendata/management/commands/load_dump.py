"""Load a full TIPs map export (/donnees/tips-map.json) into this database, idempotently.

Made for an empty database (a new instance, a restore), it also updates one that already holds
some of the records: territories are matched by level and code, actors by slug, relations by
their two actors and type. Nothing is deleted. Every change goes through the ORM, so the history
records it with the reason "Import d'un export TIPs map du <date>"; running the command again
on the same file changes nothing.

Identifiers and date survive the reload: a new relation keeps the dump's id (the API's, the
CSV's and the network files'), unless another relation already holds it; the records written
keep the date of their data (their own `updated_at` when the dump gives one, else the dump's
date), so the data's date after the reload is the dump's.
"""

import datetime
import json
from collections import defaultdict
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.dateparse import parse_date, parse_datetime

from actors.models import PUBLIC_FIELDS, Actor, ActorType, ActorTypeEntry
from opendata.exports import DUMP_FORMAT, DUMP_VERSION
from relations.models import PUBLIC_FIELDS as RELATION_FIELDS
from relations.models import Relation
from territories.models import Territory

# Given by the dump, never loaded: the database sets it when a record changes.
SET_BY_DATABASE = {"updated_at"}
# The actor's values a dump record carries (its public fields and whether its territory was set
# by hand), but those read apart below.
ACTOR_VALUES = [
    f
    for f in [*PUBLIC_FIELDS, "territory_set_by_hand"]
    if f not in {"slug", "secondary_types", "parent", "territory", "contacts", "checked_on"}
    and f not in SET_BY_DATABASE
]
# updated_at (if public) is the database's to write: `backdate` below gives it back.
RELATION_VALUES = [
    f
    for f in RELATION_FIELDS
    if f not in {"source", "target", "type", "checked_on"} and f not in SET_BY_DATABASE
]


def assign(instance, values: dict) -> bool:
    """Set the values on the instance; tell whether anything changed."""
    changed = False
    for field, value in values.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed = True
    return changed


def relation_values(record: dict) -> dict:
    return {**{f: record.get(f) for f in RELATION_VALUES}, "checked_on": checked_on(record)}


def checked_on(record: dict):
    return parse_date(record["checked_on"]) if record.get("checked_on") else None


def moment_of(value) -> datetime.datetime | None:
    """An aware datetime from a dump's ISO 8601 value (None when missing or not one)."""
    moment = parse_datetime(str(value or ""))
    return moment if moment is not None and moment.tzinfo is not None else None


def backdate(manager, key: str, dates: dict, default) -> None:
    """Give the records written (`dates`: their key → their own date or None) the date of their
    data rather than now: one update per distinct date."""
    by_date = defaultdict(list)
    for value, moment in dates.items():
        if moment or default:
            by_date[moment or default].append(value)
    for moment, values in by_date.items():
        manager.filter(**{f"{key}__in": values}).update(updated_at=moment)


def reset_sequence(model) -> None:
    """After rows inserted with their ids, the next new one gets an id above them."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


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
        self.moment = moment_of(dump.get("date"))
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
        actors, touched = self.load_actors(dump.get("actors") or [], territories)
        backdate(Actor.every, "slug", touched, self.moment)
        relations = self.load_relations(dump.get("relations") or [], actors)
        backdate(Relation.objects, "pk", relations, self.moment)
        return {
            "territories": territory_count,
            "actors": len(touched),
            "relations": len(relations),
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

    def load_actors(self, records: list, territories: dict) -> tuple[dict, dict]:
        """The actors by slug, and those written (slug → the record's own date, if any)."""
        by_slug = {a.slug: a for a in Actor.objects.all()}
        touched = {}
        for record in records:  # in the source's creation order, which keeps relation order
            actor = by_slug.get(record["slug"]) or Actor(slug=record["slug"])
            values = {field: record.get(field) for field in ACTOR_VALUES}
            values["checked_on"] = checked_on(record)
            territory = None
            if record.get("territory"):
                territory = territories.get(tuple(record["territory"]))
                if territory is None:
                    raise CommandError(f"{record['slug']}: unknown territory {record['territory']}")
            # The export's territory is authoritative (derived or fixed by hand at the source):
            # given, it is kept rather than derived again from the coordinates.
            values["territory"] = territory
            unknown = set(record.get("secondary_types") or []) - set(ActorType.values)
            if unknown:
                raise CommandError(f"{actor.slug}: unknown type(s) {sorted(unknown)}")
            contacts = [(c["name"], c.get("function")) for c in record.get("contacts") or []]
            if self.publish(
                actor,
                values,
                secondary_types=record.get("secondary_types") or [],
                contacts=contacts,
            ):
                touched[actor.slug] = moment_of(record.get("updated_at"))
            by_slug[actor.slug] = actor

        for record in records:  # parents may come after their services in the file
            parent = None
            if record.get("parent"):
                parent = by_slug.get(record["parent"])
                if parent is None:
                    raise CommandError(f"{record['slug']}: unknown parent {record['parent']}")
            actor = by_slug[record["slug"]]
            if self.publish(actor, {"parent": parent, "territory": actor.territory}):
                touched[actor.slug] = moment_of(record.get("updated_at"))
        return by_slug, touched

    def publish(self, instance, values: dict, **children) -> list[str]:
        try:
            return instance.publish(values, reason=self.reason, **children)
        except ValidationError as error:
            raise CommandError(f"{instance}: {' '.join(error.messages)}") from None

    def load_relations(self, records: list, actors: dict) -> dict:
        """The relations written (id → the record's own date, if any). A new one keeps the
        dump's id when no relation holds it."""
        taken = set(Relation.objects.values_list("pk", flat=True))
        written = {}
        try:
            for record, relation in Relation.objects.of_records(records, actors):
                kept = record.get("id")
                if relation.pk is None and isinstance(kept, int) and kept not in taken:
                    relation.pk = kept
                    taken.add(kept)
                if self.publish(relation, relation_values(record)):
                    written[relation.pk] = moment_of(record.get("updated_at"))
        except LookupError as unknown:
            raise CommandError(str(unknown)) from None
        reset_sequence(Relation)
        return written
