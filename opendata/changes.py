"""The published changes, newest first, read from the history: what a portal or a feed reader
follows (/donnees/changements.json and .atom, opendata/feeds.py).

The history holds only published data: a version is recorded when a moderator validates a
proposal, an import or a loader publishes, or a version is restored (contributions/history.py);
pending proposals stay in their own table and are never read here. Nothing about people either:
no user of the history, no contributor, no reason (it may name a proposal's number).

A page of changes costs the same few queries whatever the size of the history: the newest
versions of actors and of relations (each annotated with the id of the version before it, for
the fields that changed), those previous versions, and the actors the entries name.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from contributions.history import SECONDARY_TYPES_ROWS, describe_relation, field_changes
from relations.models import Relation

# A feed reader asks often, a harvester follows `next` with `avant=`: a page is this many.
LIMIT = 100

KIND_LABELS = {
    "created": _("création"),
    "changed": _("modification"),
    "removed": _("suppression"),
    "merged": _("fusion"),
}
SUBJECT_LABELS = {"actor": _("acteur"), "relation": _("relation")}
KIND_OF_TYPE = {"+": "created", "~": "changed", "-": "removed"}


@dataclass
class Change:
    """One published change: what (an actor or a relation, by its name then), its kind, when,
    the labels of the fields it changed, and the card it concerns (None once deleted)."""

    subject: str  # "actor" or "relation"
    kind: str  # a key of KIND_LABELS
    moment: datetime.datetime
    name: str
    key: str  # the actor's slug, the relation's id
    version: int  # the history's id of this version
    fields: list[str] = field(default_factory=list)
    card: str | None = None  # path of the card

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def subject_label(self) -> str:
        return str(SUBJECT_LABELS[self.subject])

    @property
    def uid(self) -> str:
        """Stable across requests and hosts: the version of the history it is."""
        return f"urn:tips-map:{self.subject}:{self.key}:version:{self.version}"


def versions(history, since, before, prefetch=()):
    """The newest `LIMIT` versions of a model's history in [since, before), each with the id
    of the version of the same record just before it (`previous_id`, None for the first)."""
    earlier = history.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    records = history.order_by("-history_date", "-history_id").annotate(
        previous_id=Subquery(
            earlier.order_by("-history_date", "-history_id").values("history_id")[:1]
        )
    )
    if since is not None:
        records = records.filter(history_date__gte=since)
    if before is not None:
        records = records.filter(history_date__lt=before)
    return list(records.prefetch_related(*prefetch)[:LIMIT])


def previous_versions(history, records, prefetch=()) -> dict:
    wanted = [r.previous_id for r in records if r.previous_id is not None]
    if not wanted:
        return {}
    return history.filter(history_id__in=wanted).prefetch_related(*prefetch).in_bulk()


def published_changes(since=None, before=None) -> list[Change]:
    """The newest changes (at most LIMIT), from `since` (included) to `before` (excluded)."""
    types = (Prefetch(SECONDARY_TYPES_ROWS),)
    actor_records = versions(Actor.history, since, before, types)
    relation_records = versions(Relation.history, since, before)
    records = sorted(
        [*actor_records, *relation_records],
        key=lambda r: (r.history_date, r.history_id),
        reverse=True,
    )[:LIMIT]
    actor_ids = {r.id for r in records if r.instance_type is Actor}
    relation_records = [r for r in records if r.instance_type is Relation]
    ends = {pk for r in relation_records for pk in (r.source_id, r.target_id)}
    previous = {
        Actor: previous_versions(
            Actor.history, [r for r in records if r.instance_type is Actor], types
        ),
        Relation: previous_versions(Relation.history, relation_records),
    }
    actors = {
        row["pk"]: row
        for row in Actor.every.filter(pk__in=actor_ids | ends).values(
            "pk", "slug", "name", "short_name"
        )
    }
    names = {(Actor, pk): row["short_name"] or row["name"] for pk, row in actors.items()}
    return [
        change_of(r, previous[r.instance_type].get(r.previous_id), actors, names) for r in records
    ]


def change_of(record, previous, actors: dict, names: dict) -> Change:
    kind = KIND_OF_TYPE[record.history_type]
    changed = []
    if kind == "changed" and previous is not None:
        changed = [str(label) for label, _old, _new in field_changes(record, previous, names)]
        if record.instance_type is Actor and record.merged_into_id and not previous.merged_into_id:
            kind = "merged"
    if record.instance_type is Actor:
        published = record.id in actors and kind != "removed"
        return Change(
            subject="actor",
            kind=kind,
            moment=record.history_date,
            name=record.short_name or record.name,
            key=record.slug,
            version=record.history_id,
            fields=changed,
            # A merged actor's card leads to the actor it went into.
            card=f"/acteurs/{record.slug}/" if published else None,
        )
    source = actors.get(record.source_id)
    return Change(
        subject="relation",
        kind=kind,
        moment=record.history_date,
        name=describe_relation(record, names),
        key=str(record.id),
        version=record.history_id,
        fields=changed,
        card=f"/acteurs/{source['slug']}/" if source else None,
    )
