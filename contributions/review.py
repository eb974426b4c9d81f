"""What a moderator reads of a proposal besides its values: the diff as labels with its long
texts highlighted word by word, and the other pending proposals on the same actor, the same
relation (the same pair of actors) or, for a new actor, a new actor of the same name.

Those pending proposals are read in one query for a whole queue page (`with_badges`) as for one
proposal (`alongside`): the queue costs the same queries whatever its length.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from actors.models import Actor
from actors.names import name_key

from .display import is_highlighted, shown_change, shown_value, slug_names
from .models import NEW, Contribution, Kind, Status

# The slugs a proposed actor's values may name (its parent): read at once for the whole diff.
SLUG_FIELDS = ("parent",)


def shown_diff(contribution: Contribution) -> list[dict]:
    """`Contribution.diff()` with each value as people read it: `current_shown`,
    `when_proposed_shown`, `proposed_shown`, and `highlighted` when a long text is marked word
    by word (then the published and proposed texts show what was deleted and added)."""
    rows = contribution.diff()
    names = slug_names(
        row[column]
        for row in rows
        if row["field"] in SLUG_FIELDS
        for column in ("current", "when_proposed", "proposed")
    )
    for row in rows:
        model_field = Actor._meta.get_field(row["field"])
        current, proposed = row["current"], row["proposed"]
        row["highlighted"] = is_highlighted(model_field, current, proposed)
        row["current_shown"], row["proposed_shown"] = shown_change(
            model_field, current, proposed, names
        )
        row["when_proposed_shown"] = shown_value(model_field, row["when_proposed"], names)
    return rows


# What two proposals may share: ("actor", id) their target, ("relation", pair of slugs) a
# relation they add, ("name", key) the name of the new actor they propose.
ACTOR, RELATION, NAME = "actor", "relation", "name"

# What a line of the queue says, for each key the proposal shares (n counts it too).
BADGES = [
    (
        ACTOR,
        ngettext_lazy(
            "%(count)d proposition sur cet acteur", "%(count)d propositions sur cet acteur", "count"
        ),
    ),
    (
        RELATION,
        ngettext_lazy(
            "%(count)d proposition sur cette relation",
            "%(count)d propositions sur cette relation",
            "count",
        ),
    ),
    (
        NAME,
        ngettext_lazy(
            "%(count)d nouvel acteur de ce nom", "%(count)d nouveaux acteurs de ce nom", "count"
        ),
    ),
]
# Why another proposal is listed on a proposal's page.
WHY = [
    (ACTOR, _("sur le même acteur")),
    (RELATION, _("sur la même relation")),
    (NAME, _("un nouvel acteur du même nom")),
]


def touched(kind: str, actor_id, relations, names) -> set[tuple]:
    """What a proposal touches, from its kind, its target, its proposed relations and the
    proposed names of its new actor."""
    keys = set()
    if actor_id is not None and kind != Kind.NEW_ACTOR:
        keys.add((ACTOR, actor_id))
    for relation in relations or []:
        ends = frozenset((relation.get("source"), relation.get("target")))
        if NEW not in ends and len(ends) == 2:
            keys.add((RELATION, ends))
    if kind == Kind.NEW_ACTOR:
        keys |= {(NAME, key) for name in names if (key := name_key(name or ""))}
    return keys


def touched_by(contribution: Contribution) -> set[tuple]:
    actor = contribution.proposed.get("actor", {})
    return touched(
        contribution.kind,
        contribution.actor_id,
        contribution.proposed.get("relations"),
        (actor.get("name"), actor.get("short_name")),
    )


@dataclass
class PendingProposal:
    pk: int
    kind: str
    label: str

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    def get_absolute_url(self) -> str:
        return Contribution(pk=self.pk).get_absolute_url()


class Pending:
    """Every pending proposal and what it touches, read in one query."""

    def __init__(self):
        rows = Contribution.objects.pending().values_list(
            "pk",
            "kind",
            "actor_id",
            "actor_label",
            "proposed__relations",
            "proposed__actor__name",
            "proposed__actor__short_name",
        )
        self.by_key = defaultdict(list)
        for pk, kind, actor_id, label, relations, name, short_name in rows.order_by("created_at"):
            proposal = PendingProposal(pk, kind, label)
            for key in touched(kind, actor_id, relations, (name, short_name)):
                self.by_key[key].append(proposal)

    def sharing(self, pk: int, keys: set, kind: str) -> list[PendingProposal]:
        """The other pending proposals that share a key of `kind` with these `keys`."""
        found = {}
        for key in keys:
            if key[0] == kind:
                found.update((p.pk, p) for p in self.by_key[key] if p.pk != pk)
        return list(found.values())

    def badges(self, pk: int, keys: set) -> list[str]:
        """ "2 propositions sur cet acteur", and the like: for a line of the queue."""
        badges = []
        for kind, text in BADGES:
            others = len(self.sharing(pk, keys, kind))
            if others:
                badges.append(str(text % {"count": others + 1}))
        return badges


def with_badges(contributions) -> list[Contribution]:
    """The queue's lines, each pending one with `alongside`: its badges (one query in all)."""
    lines = list(contributions)
    pending = Pending() if any(line.status == Status.PENDING for line in lines) else None
    for line in lines:
        line.alongside = (
            pending.badges(line.pk, touched_by(line))
            if pending and line.status == Status.PENDING
            else []
        )
    return lines


def alongside(contribution: Contribution) -> list[dict]:
    """For the moderation page of a pending proposal: the other pending proposals on the same
    actor, the same relation or a new actor of the same name, each once, with why."""
    if contribution.status != Status.PENDING:
        return []
    pending = Pending()
    keys = touched_by(contribution)
    seen, found = set(), []
    for kind, why in WHY:
        for other in pending.sharing(contribution.pk, keys, kind):
            if other.pk not in seen:
                seen.add(other.pk)
                found.append({"proposal": other, "why": why})
    return found
