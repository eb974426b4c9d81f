"""What an import writes into an actor: it never erases.

A new actor, or one this same source created (ImportSource.created), takes the file's values:
the source is where its facts come from. Any other published actor is curated (the report,
a moderator, a contribution set its values): the file fills its empty fields only, and a
non-empty value that differs is kept and reported as a conflict, for the moderator to settle
(by correcting the card, or by importing with --to-moderation, which proposes the change).
Its type is the file's only when it was inferred (`type_inferred`: a guess, not a choice).
Secondary types are only ever added, contacts only given to an actor that has none."""

from dataclasses import dataclass, field

from actors.models import Actor

POSITION = ("latitude", "longitude", "location_precision")


@dataclass
class Merge:
    values: dict = field(default_factory=dict)  # what differs from the published actor
    secondary_types: list | None = None  # the new set of secondary types, if it changes
    contacts: list | None = None  # the new contacts, if they change
    conflicts: list = field(default_factory=list)  # the report's words for what was kept


def shown(name: str, value) -> str:
    choices = dict(Actor._meta.get_field(name).flatchoices)
    return str(choices.get(value, value))


def conflict(name: str, published, value) -> str:
    label = Actor._meta.get_field(name).verbose_name
    return (
        f"conflit, valeur publiée conservée : {label} « {shown(name, published)} » "
        f"(le fichier dit « {shown(name, value)} ») ; corrigez la fiche ou importez en "
        "modération pour le proposer"
    )


def merged(actor: Actor, candidate, values: dict, *, curated: bool) -> Merge:
    """What `candidate` (its non-empty `values`) changes in `actor`, new or published."""
    merge = Merge()
    new = actor._state.adding
    if new or not curated:
        merge.values = {k: v for k, v in values.items() if new or getattr(actor, k) != v}
        if actor.is_placed_better_than(merge.values):
            for name in POSITION:
                merge.values.pop(name, None)
        merge.contacts = candidate.contacts
    else:
        fill_curated(actor, values, merge)
        published = [(c.name, c.function) for c in actor.contacts.all()]
        wanted = [(n, f or "") for n, f in candidate.contacts or []]
        if wanted and not published:
            merge.contacts = wanted
        elif wanted and wanted != published:
            merge.conflicts.append(
                "conflit, contacts publiés conservés (le fichier en donne d'autres : "
                + ", ".join(n for n, _f in wanted)
                + ")"
            )
    if candidate.secondary_types:
        published = set() if new else {e.key for e in actor.secondary_types.all()}
        kept_type = merge.values.get("type", actor.type)
        wanted = sorted((published | set(candidate.secondary_types)) - {kept_type})
        if wanted != sorted(published - {kept_type}):
            merge.secondary_types = wanted
    return merge


def fill_curated(actor: Actor, values: dict, merge: Merge) -> None:
    position = {k: values[k] for k in POSITION if k in values}
    for name, value in values.items():
        if name in POSITION:
            continue
        published = getattr(actor, name)
        if published == value:
            continue
        if published in ("", None) or (name == "type" and actor.type_inferred):
            merge.values[name] = value
            if name == "type":
                merge.values["type_inferred"] = False
        else:
            merge.conflicts.append(conflict(name, published, value))
    if not position or "latitude" not in position:
        return
    if actor.latitude is None or actor.longitude is None:
        merge.values.update(position)
    elif (actor.latitude, actor.longitude) != (position["latitude"], position["longitude"]):
        merge.conflicts.append(
            "conflit, position publiée conservée "
            f"({actor.latitude}, {actor.longitude} ; le fichier dit "
            f"{position['latitude']}, {position['longitude']})"
        )
