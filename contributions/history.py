"""The history of the published data, as the public reads it, and how a moderator restores it.

Every change to actors, relations and territories is a version (django-simple-history): who
validated it (shown as "la chaire", never a name), when, why (the change reason) and what
changed. A restored version is published again as a new version, through the same
`publish` as every other change, so that its rules hold and it can itself be undone.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from relations.models import DIRECTED_TYPES, Relation
from territories.models import Territory

from .display import shown_change
from .models import Contribution

# Translators: Django date format of a version in the public history ("12 mars 2023 à 14 h 05").
VERSION_DATE_FORMAT = _(r"j F Y \à G \h i")
HISTORY_KINDS = {"+": _("création"), "~": _("modification"), "-": _("suppression")}
HISTORY_CLASSES = {"+": "created", "~": "changed", "-": "deleted"}
# The reverse accessor from a historical actor to its secondary types at that version.
SECONDARY_TYPES_ROWS = "historicalactor_secondary_types_set"


@dataclass
class Version:
    """One historical record, ready for the public page: never who, only "la chaire"."""

    record: object
    kind: str
    by_chair: bool
    reason: str
    changes: list = field(default_factory=list)
    subject: str = ""
    restore_url: str = ""
    current: bool = False  # what is published now: nothing to restore
    contribution_id: int | None = None
    contributor: str = ""
    merge: dict | None = None  # a merge's or its undoing's (contributions/views/merge.py)

    @property
    def css_class(self) -> str:
        return HISTORY_CLASSES.get(self.record.history_type, "changed")


def version_date(record) -> str:
    """The record's date as the public history writes it, in the active language."""
    return formats.date_format(timezone.localtime(record.history_date), str(VERSION_DATE_FORMAT))


def secondary_type_keys(record) -> list[str]:
    return sorted(row.actortypeentry_id for row in getattr(record, SECONDARY_TYPES_ROWS).all())


def field_changes(record, previous, names: dict) -> list[tuple[str, str, str]]:
    """(verbose name, old, new) for each field `record` changed since `previous`.

    The secondary types are compared on their prefetched rows, so that the page's queries do not
    grow with the number of versions (diff_against would query them for each version).
    """
    model = record.instance_type
    m2m_names = [f.name for f in record._history_m2m_fields]
    delta = record.diff_against(previous, excluded_fields=m2m_names)
    changes = []
    for change in delta.changes:
        model_field = model._meta.get_field(change.field)
        changes.append(
            (model_field.verbose_name, *shown_change(model_field, change.old, change.new, names))
        )
    if "secondary_types" in m2m_names:
        old, new = secondary_type_keys(previous), secondary_type_keys(record)
        if old != new:
            model_field = model._meta.get_field("secondary_types")
            changes.append((model_field.verbose_name, *shown_change(model_field, old, new)))
    return changes


def related_names(records) -> dict:
    """{(model, pk): name} for every actor and territory the records point to: two queries."""
    wanted = {Actor: set(), Territory: set()}
    for record in records:
        for tracked in record.tracked_fields:
            value = getattr(record, tracked.attname)
            if tracked.many_to_one and value is not None and tracked.related_model in wanted:
                wanted[tracked.related_model].add(value)
    names = {}
    if wanted[Actor]:
        for actor in Actor.every.filter(pk__in=wanted[Actor]).only("name", "short_name"):
            names[(Actor, actor.pk)] = actor.display_name
    if wanted[Territory]:
        for pk, name in Territory.objects.filter(pk__in=wanted[Territory]).values_list(
            "pk", "name"
        ):
            names[(Territory, pk)] = name
    return names


def versions_of(records, names: dict, describe=None, restore_url=None) -> list[Version]:
    """Versions newest first; each modification compared with the previous version of its object.

    The previous version is found among `records` (all versions of each object are loaded at
    once) rather than through `record.prev_record`, which would cost a query per version.
    """
    chronological = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous_of = {}
    last_by_object = {}
    for record in chronological:
        previous_of[record.history_id] = last_by_object.get(record.id)
        last_by_object[record.id] = record
    versions = []
    for record in reversed(chronological):
        previous = previous_of[record.history_id]
        current = is_latest(record, last_by_object[record.id])
        versions.append(
            Version(
                record=record,
                kind=HISTORY_KINDS.get(record.history_type, record.history_type),
                by_chair=record.history_user_id is not None,
                reason=record.history_change_reason or "",
                changes=field_changes(record, previous, names)
                if record.history_type == "~" and previous is not None
                else [],
                subject=describe(record) if describe else "",
                restore_url=restore_url(record) if restore_url and not current else "",
                current=current,
            )
        )
    return versions


def is_latest(record, latest) -> bool:
    """Whether `record` is the version published now: the latest of its object, unless that
    one is a deletion (restoring the version of a deletion re-creates the record)."""
    return record.history_id == latest.history_id and record.history_type != "-"


def latest_of(record, history):
    """The latest version of the object `record` is a version of, from its `history` manager
    (secondary types prefetched for an actor's)."""
    return history.filter(id=record.id).latest()


def describe_relation(record, names: dict) -> str:
    """ "Source — Target (Collaboration)" as the relation was at that version."""
    unknown = gettext("acteur supprimé")
    source = names.get((Actor, record.source_id)) or unknown
    target = names.get((Actor, record.target_id)) or unknown
    arrow = "→" if record.type in DIRECTED_TYPES else "—"
    return f"{source} {arrow} {target} ({record.get_type_display()})"


CONTRIBUTION_REASON = re.compile(r"^Contribution n° (\d+)$")


def credit_contributors(versions: list[Version]) -> None:
    """Name the contributor behind a version, only if they consented; one query in all."""
    for version in versions:
        match = CONTRIBUTION_REASON.match(version.reason)
        version.contribution_id = int(match.group(1)) if match else None
    ids = {v.contribution_id for v in versions if v.contribution_id}
    names = (
        dict(
            Contribution.objects.filter(pk__in=ids, show_name=True).values_list(
                "pk", "contributor_name"
            )
        )
        if ids
        else {}
    )
    for version in versions:
        version.contributor = names.get(version.contribution_id, "")


def restoration_reason(record) -> str:
    # Reasons are stored data, written in French like every other reason of the history.
    with translation.override("fr"):
        return f"Restauration de la version du {version_date(record)}"


def missing_links(instance) -> list[str]:
    """Verbose names of the foreign keys whose target no longer exists."""
    missing = []
    for model_field in instance._meta.concrete_fields:
        value = getattr(instance, model_field.attname)
        if (
            model_field.many_to_one
            and value is not None
            and not model_field.related_model._base_manager.filter(pk=value).exists()
        ):
            missing.append(str(model_field.verbose_name))
    return missing


class NotRestored(Exception):
    """The version was not restored; the message says why, to the moderator."""


# Kept by a restore as they are now: the row's identity, and what the model derives.
# A merge is undone by its own button (contributions/merge.py), never by restoring a version.
NOT_RESTORED_FIELDS = {
    "id",
    "created_at",
    "updated_at",
    "search_text",
    "sort_name",
    "merged_into_id",
}


def restored_values(record, model) -> dict:
    """The version's values, by attname (foreign keys as ids: no query per field)."""
    instance = record.instance
    missing = missing_links(instance)
    if missing:
        raise NotRestored(
            gettext("ce qu'elle désigne n'existe plus (%(fields)s).")
            % {"fields": ", ".join(missing)}
        )
    return {
        f.attname: getattr(instance, f.attname)
        for f in model._meta.concrete_fields
        if f.attname not in NOT_RESTORED_FIELDS
    }


def restore(publish, record, latest) -> None:
    """Publish a version again; NotRestored, and nothing changed, when a rule refuses it or
    when it is the version published now (`latest`: the latest version of its object).

    The database may still refuse it (a concurrent change): the transaction undoes it all."""
    if is_latest(record, latest):
        raise NotRestored(CURRENT_VERSION)
    try:
        with transaction.atomic():
            publish(reason=restoration_reason(record))
    except ValidationError as error:
        raise NotRestored(" ".join(error.messages)) from None
    except IntegrityError:
        raise NotRestored(gettext("elle contredit les données actuelles.")) from None


CURRENT_VERSION = _("c'est la version publiée aujourd'hui, il n'y a rien à restaurer.")


def restore_actor(actor: Actor, record) -> None:
    """Make an earlier version of the actor, its secondary types included, current again."""
    values = restored_values(record, Actor)
    if not values["territory_set_by_hand"]:
        del values["territory_id"]  # as when it was saved: the location decides it
    restore(
        lambda reason: actor.publish(
            values, reason=reason, secondary_types=secondary_type_keys(record)
        ),
        record,
        latest_of(record, actor.history),
    )


def restore_relation(record) -> None:
    """Make an earlier version of a relation current again, re-created if it was deleted
    (under its own id, so that its history goes on)."""
    values = restored_values(record, Relation)
    relation = Relation.objects.filter(pk=record.id).first() or Relation(pk=record.id)
    restore(
        lambda reason: relation.publish(values, reason=reason),
        record,
        latest_of(record, Relation.history),
    )


@dataclass
class RestorePreview:
    """What restoring a version would do, for the moderator to confirm: its `changes` (field,
    published now, after the restore); `deleted` when the object is no longer published (the
    restore re-creates it); `current` when it is the version published now (nothing to do)."""

    record: object
    subject: str
    current: bool
    deleted: bool
    changes: list


def restore_preview(record, history, describe=None) -> RestorePreview:
    """`history`: the versions of the record's model (secondary types prefetched for actors);
    `describe(record, names)`: the subject, for a relation."""
    latest = latest_of(record, history)
    names = related_names([record, latest])
    return RestorePreview(
        record=record,
        subject=describe(record, names) if describe else "",
        current=is_latest(record, latest),
        deleted=latest.history_type == "-",
        changes=field_changes(record, latest, names),
    )
