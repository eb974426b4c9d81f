"""Merging two actors that are one organisation: B, the duplicate, into A, the actor kept.

One reviewed step (the moderation page shows it, contributions/views/merge.py): A takes the value
the moderator chose for each row of `ROWS` (A's by default, B's where A has none); B's relations
move to A, one relation per pair and type: a relation B has with a partner A already has under
the same type collapses into A's (A's description and source kept, B's appended when they
differ), a relation between A and B disappears; B's contacts and sources join A's; B's services
become A's; B is marked merged into A (`Actor.merged_into`: out of everything published, its card
redirecting to A), never deleted. Every write goes through `publish`, with the proposal's reason.

`merge` returns what it did, kept in the proposal, so that `undo` puts back exactly what was:
B and its relations where they were (collapsed ones re-created from their history under their
own ids), A's previous values where nobody changed them since.

This module knows actors and relations, not proposals: Contribution.apply and
Contribution.undo_merge (contributions/models.py) call it inside their transaction.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from actors.models import LOCATION_FIELDS, PROPOSED_FIELDS, Actor
from relations.models import DIRECTED_TYPES, Relation
from tips_map.text import fold

# Fields that go together are one row of the choice: a position is a whole, and so are a type
# with its "deduced" flag, and a lifecycle with its years.
GROUPS = {
    "type": ["type", "type_inferred"],
    "commune_name": [*LOCATION_FIELDS, "location_precision", "territory", "territory_set_by_hand"],
    "lifecycle": ["lifecycle", "founded_year", "ended_year"],
}
ROW_LABELS = {"commune_name": _("localisation"), "lifecycle": _("cycle de vie et années")}
# Not chosen but combined: A keeps its own and gains B's.
COMBINED = ["contacts", "provenance_detail", "report_lines"]
_GROUPED = {name for fields in GROUPS.values() for name in fields[1:]}
ROWS = [name for name in PROPOSED_FIELDS if name not in _GROUPED and name not in COMBINED]
# Values that say nothing about an actor: a default, not something someone typed.
_DEFAULTS = {"country", "location_precision"}
TEXT_JOINER = " / "
MERGED_TEXTS = ("description", "provenance_detail")
NOT_RECREATED = {"id", "created_at", "updated_at"}

SAME_ACTOR = _("Un acteur ne peut pas être fusionné avec lui-même.")
GONE = _("L'un des deux acteurs a été supprimé ou déjà fusionné : la fusion est impossible.")
CHANGED_SINCE = _(
    "L'un des deux acteurs a été supprimé ou fusionné depuis : la fusion ne peut plus être annulée."
)


def row_fields(row: str) -> list[str]:
    return GROUPS.get(row, [row])


def row_label(row: str) -> str:
    return ROW_LABELS.get(row) or Actor._meta.get_field(row).verbose_name


def row_values(actor: Actor, row: str) -> dict:
    """The row's public values (secondary types as keys, linked records as slugs)."""
    return actor.public_values(row_fields(row))


def is_empty(values: dict) -> bool:
    return all(v in (None, "", [], False) for k, v in values.items() if k not in _DEFAULTS)


def fixed_position(kept: Actor, merged: Actor) -> bool:
    """Whether A's exact address must stay (publish never trades it for a vaguer position)."""
    return kept.is_placed_better_than({"location_precision": merged.location_precision})


def default_taken(kept: Actor, merged: Actor) -> list[str]:
    """The rows A takes from B unless the moderator says otherwise: those A has no value in."""
    return [
        row
        for row in ROWS
        if is_empty(row_values(kept, row))
        and not is_empty(row_values(merged, row))
        and not (row == "commune_name" and fixed_position(kept, merged))
    ]


def joined_text(ours: str, theirs: str) -> str:
    """A's text, then B's when it says something else."""
    if not theirs or fold(theirs) in fold(ours):
        return ours
    return f"{ours}{TEXT_JOINER}{theirs}" if ours else theirs


def joined_lines(ours: str, theirs: str) -> str:
    """Report lines of both ("798, 1540" and "1540, 200": "798, 1540, 200")."""
    parts = [p.strip() for p in f"{ours},{theirs}".split(",")]
    return ", ".join(dict.fromkeys(p for p in parts if p))


def contact_pairs(actor: Actor) -> list[tuple[str, str]]:
    return [(c.name, c.function) for c in actor.contacts.all()]


def joined_contacts(kept: Actor, merged: Actor) -> list[tuple[str, str]]:
    """A's contacts, then B's that A does not have already (same name and function)."""
    ours = contact_pairs(kept)
    seen = {(fold(n), fold(f)) for n, f in ours}
    return ours + [(n, f) for n, f in contact_pairs(merged) if (fold(n), fold(f)) not in seen]


# Relations ----------------------------------------------------------------------------------


@dataclass
class Plan:
    """What happens to B's relations: moved to A (with their new ends), collapsed into A's
    relation of the same pair and type, or gone (between A and B)."""

    moved: list[tuple[Relation, int, int]] = field(default_factory=list)
    collapsed: list[tuple[Relation, Relation]] = field(default_factory=list)
    removed: list[Relation] = field(default_factory=list)


def plan(kept: Actor, merged: Actor) -> Plan:
    """Two queries, whatever the number of relations."""
    related = Relation.objects.select_related("source", "target")
    ours = {(r.source_id, r.target_id, r.type): r for r in related.involving(kept)}
    result = Plan()
    for relation in related.involving(merged).order_by("type", "pk"):
        ends = [
            kept.pk if pk == merged.pk else pk for pk in (relation.source_id, relation.target_id)
        ]
        if ends[0] == ends[1]:
            result.removed.append(relation)
            continue
        if relation.type not in DIRECTED_TYPES:
            ends.sort()  # stored once, smaller id first (Relation.normalize)
        twin = ours.get((*ends, relation.type))
        if twin is None:
            result.moved.append((relation, *ends))
        else:
            result.collapsed.append((relation, twin))
    return result


def collapsed_values(twin: Relation, theirs: Relation) -> dict:
    """What A's relation gains from B's of the same pair and type: texts appended, report
    lines added, a missing year filled, ended if either is."""
    values = {
        name: joined_text(getattr(twin, name), getattr(theirs, name)) for name in MERGED_TEXTS
    }
    values["report_lines"] = joined_lines(twin.report_lines, theirs.report_lines)
    for name in ("start_year", "end_year"):
        values[name] = getattr(twin, name) or getattr(theirs, name)
    values["ended"] = twin.ended or theirs.ended
    return {name: value for name, value in values.items() if getattr(twin, name) != value}


def delete(relation: Relation, reason: str) -> None:
    relation._change_reason = reason
    relation.delete()


def recreate(relation_id: int, reason: str) -> None:
    """Publish a deleted relation again under its own id, as its history last had it."""
    record = Relation.history.filter(id=relation_id).order_by("-history_date", "-history_id")[0]
    instance = record.instance
    values = {
        f.attname: getattr(instance, f.attname)
        for f in Relation._meta.concrete_fields
        if f.attname not in NOT_RECREATED
    }
    Relation(pk=relation_id).publish(values, reason=reason)


# Merging and undoing ------------------------------------------------------------------------


def published_pair(kept_pk: int, merged_pk: int) -> tuple[Actor, Actor]:
    if kept_pk == merged_pk:
        raise ValidationError(SAME_ACTOR)
    # Locked: a second merge of B waits for this one, then finds B merged already.
    found = Actor.objects.select_for_update().in_bulk([kept_pk, merged_pk])
    if len(found) != 2:
        raise ValidationError(GONE)
    return found[kept_pk], found[merged_pk]


def taken_values(kept: Actor, merged: Actor, taken: list[str]) -> tuple[dict, list | None]:
    """The model values (by attname) A takes from B, and B's secondary types if taken."""
    values, types = {}, None
    for row in taken:
        if row == "commune_name" and fixed_position(kept, merged):
            continue
        for name in row_fields(row):
            if name == "secondary_types":
                types = [entry.key for entry in merged.secondary_types.all()]
            else:
                attname = Actor._meta.get_field(name).attname
                values[attname] = getattr(merged, attname)
    # A is not its own parent, nor the service of the actor it absorbs.
    if values.get("parent_id", kept.parent_id) in (kept.pk, merged.pk):
        values["parent_id"] = None
    return values, types


def merge(
    kept_pk: int, merged_pk: int, choices: dict, *, reason: str, checked_on: datetime.date
) -> dict:
    """Merge B into A (see the module's docstring). `choices` maps rows to "kept" or "merged":
    whose value A keeps; a row not in it keeps the default (`default_taken`). What was done is
    returned, for `undo`."""
    kept, merged = published_pair(kept_pk, merged_pk)
    default = default_taken(kept, merged)
    taken = [
        row for row in ROWS if choices.get(row, "merged" if row in default else "") == "merged"
    ]
    values, types = taken_values(kept, merged, taken)
    values["provenance_detail"] = joined_text(kept.provenance_detail, merged.provenance_detail)
    values["report_lines"] = joined_lines(kept.report_lines, merged.report_lines)
    done = {
        "kept": kept.pk,
        "merged": merged.pk,
        "taken": taken,
        "before": {name: getattr(kept, name) for name in values},
        "types_before": sorted(entry.key for entry in kept.secondary_types.all()),
        "contacts_before": contact_pairs(kept),
    }
    relations = plan(kept, merged)
    # B leaves first: its relations and services then go to A without two actors of one name.
    merged.publish({"merged_into_id": kept.pk}, reason=reason)
    contacts = joined_contacts(kept, merged)
    changed = kept.publish(
        values, reason=reason, secondary_types=types, contacts=contacts, checked_on=checked_on
    )
    if not changed:
        keep_a_version(kept, reason, checked_on)
    done["after"] = {name: getattr(kept, name) for name in values}
    done["types_after"] = sorted(entry.key for entry in kept.secondary_types.all())
    done["contacts_after"] = contact_pairs(kept)
    done["moved"] = []
    for relation, source, target in relations.moved:
        done["moved"].append([relation.pk, relation.source_id, relation.target_id])
        relation.publish({"source_id": source, "target_id": target}, reason=reason)
    done["collapsed"] = []
    for theirs, twin in relations.collapsed:
        gained = collapsed_values(twin, theirs)
        before = {name: getattr(twin, name) for name in gained}
        done["collapsed"].append(
            {"id": theirs.pk, "into": twin.pk, "before": before, "after": gained}
        )
        delete(theirs, reason)
        twin.publish(gained, reason=reason)
    done["removed"] = [relation.pk for relation in relations.removed]
    for relation in relations.removed:
        delete(relation, reason)
    done["services"] = []
    for service in Actor.objects.filter(parent=merged).exclude(pk=kept.pk):
        service.publish({"parent_id": kept.pk}, reason=reason)
        done["services"].append(service.pk)
    return done


def still(record, values: dict) -> dict:
    """The names among `values` whose value `record` still holds."""
    return {name: value for name, value in values.items() if getattr(record, name) == value}


def undo(done: dict, *, reason: str) -> None:
    """Put back what `merge` did, each change a version with `reason`. A's values come back
    where they are still those the merge gave (a correction made since is kept)."""
    merged = Actor.every.select_for_update().get(pk=done["merged"])
    kept = Actor.objects.select_for_update().filter(pk=done["kept"]).first()
    if kept is None:
        raise ValidationError(CHANGED_SINCE)
    if merged.merged_into_id != kept.pk:
        raise ValidationError(CHANGED_SINCE)
    merged.publish({"merged_into_id": None}, reason=reason)
    for relation_id, source, target in done["moved"]:
        relation = Relation.objects.filter(pk=relation_id).first()
        if relation is not None:
            relation.publish({"source_id": source, "target_id": target}, reason=reason)
    for collapsed in done["collapsed"]:
        twin = Relation.objects.filter(pk=collapsed["into"]).first()
        if twin is not None:
            unchanged = still(twin, collapsed["after"])
            twin.publish({name: collapsed["before"][name] for name in unchanged}, reason=reason)
        recreate(collapsed["id"], reason)
    for relation_id in done["removed"]:
        recreate(relation_id, reason)
    for service in Actor.objects.filter(pk__in=done["services"], parent=kept):
        service.publish({"parent_id": merged.pk}, reason=reason)
    values = {name: done["before"][name] for name in still(kept, done["after"])}
    types = contacts = None
    if sorted(entry.key for entry in kept.secondary_types.all()) == done["types_after"]:
        types = done["types_before"]
    if contact_pairs(kept) == [tuple(pair) for pair in done["contacts_after"]]:
        contacts = done["contacts_before"]
    if not kept.publish(values, reason=reason, secondary_types=types, contacts=contacts):
        keep_a_version(kept, reason)


def keep_a_version(actor: Actor, reason: str, checked_on=None) -> None:
    """A version of A even when none of its values changed: its history tells of the merge and
    of its undoing (the undo button is on that version)."""
    actor.record(reason, checked_on, locate=False)
