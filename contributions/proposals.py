"""Every proposal is made here, whoever sends it: the web form, the API or an import.

A proposal is a `Contribution` of values already checked (by the forms of
contributions/forms.py, or by an import's reading and the model's rules). This module gives it
its kind, what it changes, the published values it was made against (the snapshot: the review's
diff and its conflicts) and who proposes it, then submits it. No request, no session, no
redirect: the web views and the API answer the person; this module records the proposal and
sends its emails.
"""

from dataclasses import asdict, dataclass

from django.urls import reverse
from django.utils import timezone

from actors.models import Actor, Lifecycle
from actors.names import close_by, resemblance
from tips_map.text import fold

from . import emails
from .models import Contribution, Kind, Status


@dataclass(frozen=True)
class Contributor:
    """Who proposes: an account, or a name and an email address to confirm."""

    name: str
    email: str
    account: object = None  # the user, when signed in
    show_name: bool = False
    message: str = ""
    # An import by a moderator: the address is theirs, nothing to confirm, nobody to notify.
    imported: bool = False
    # The address is already proven (this browser confirmed it: contributions/signin.py), so
    # nothing to confirm; the receipt and the moderators' notice go as for an account.
    confirmed: bool = False


@dataclass(frozen=True)
class Similar:
    """What a new actor may duplicate: a published actor (its slug), or, in an import, a row of
    the same file proposed before it (where it stands, and its proposal)."""

    name: str
    slug: str = ""
    commune_name: str = ""
    where: str = ""
    contribution: int | None = None

    def get_absolute_url(self) -> str:
        if self.slug:
            return reverse("actors:detail", args=[self.slug])
        return reverse("contributions:moderate", args=[self.contribution])


@dataclass(frozen=True)
class Proposed:
    """A row of an import file already proposed as a new actor, for the rows after it."""

    name: str
    latitude: float | None
    longitude: float | None
    where: str
    contribution: int


def similar(values: dict, earlier: list[Proposed] = ()) -> list[Similar]:
    """The one check of similar names, for the web form, the API and the imports: the published
    actors a new actor may duplicate (Actor.objects.similar_to: the same name ignoring case and
    accents, one inside the other, or a close one, closer still nearby), then the `earlier`
    rows of the same import file that look like it by the same rule."""
    name, latitude, longitude = values["name"], values.get("latitude"), values.get("longitude")
    found = [
        Similar(actor.name, slug=actor.slug, commune_name=actor.commune_name)
        for actor in Actor.objects.similar_to(name, latitude, longitude)
    ]
    folded = fold(name)
    for row in earlier:
        nearby = close_by(latitude, longitude, row.latitude, row.longitude)
        if len(folded) >= 3 and resemblance(folded, {fold(row.name)}, nearby):
            found.append(Similar(row.name, where=row.where, contribution=row.contribution))
    return found


def new_actor(values: dict, relations: list[dict], similar: list[Similar] = ()) -> Contribution:
    """A new actor together with its relations (their new end is NEW): one proposal. What it
    may duplicate (see `similar`), sent anyway, is kept for the moderators."""
    proposed = {"actor": values, "relations": relations}
    if similar:
        proposed["similar"] = [asdict(flag) for flag in similar]
    return Contribution(kind=Kind.NEW_ACTOR, actor_label=values["name"], proposed=proposed)


def changes(actor: Actor, values: dict) -> dict:
    """The proposed values that differ from the published actor's."""
    published = actor.public_values(list(values))
    return {name: value for name, value in values.items() if published[name] != value}


def correction(actor: Actor, values: dict, relations: list[dict]) -> Contribution | None:
    """What differs from the published actor, and new relations; None when nothing does."""
    changed = changes(actor, values)
    if not changed and not relations:
        return None
    return Contribution(
        kind=Kind.CORRECTION if changed else Kind.RELATION,
        actor=actor,
        actor_label=actor.name,
        proposed={"actor": changed, "relations": relations},
        snapshot=actor.public_values(list(changed)),
    )


def removal(actor: Actor, reason: str, *, disappeared: bool, ended_year=None) -> Contribution:
    """A disappearance (the actor stays on the map, greyed) or a removal (an error, a
    duplicate); the reason goes to the moderators."""
    if not disappeared:
        return Contribution(
            kind=Kind.REMOVAL, actor=actor, actor_label=actor.name, proposed={"reason": reason}
        )
    values = {"lifecycle": Lifecycle.DISPARU}
    if ended_year:
        values["ended_year"] = ended_year
    return Contribution(
        kind=Kind.DISAPPEARANCE,
        actor=actor,
        actor_label=actor.name,
        proposed={"actor": values, "reason": reason},
        snapshot=actor.public_values(list(values)),
    )


def duplicate(actor: Actor, kept: Actor, reason: str = "") -> Contribution:
    """A report that `actor` is a duplicate of `kept`: a moderator may merge the first into the
    second (contributions/merge.py), choosing the values kept."""
    return Contribution(
        kind=Kind.MERGE,
        actor=actor,
        actor_label=f"{actor.name} → {kept.name}"[:300],
        proposed={"merge": {"kept": kept.pk, "merged": actor.pk}, "reason": reason},
    )


def submit(contribution: Contribution, contributor: Contributor, site_url: str | None = None):
    """Record who proposes, then: without an account nor a proven address, the confirmation
    link by email (the proposal waits for it); otherwise straight to the moderators.

    `site_url` ("https://host") starts the links of the emails; settings.SITE_URL by default.
    """
    contribution.contributor = contributor.account
    contribution.contributor_name = contributor.name
    contribution.contributor_email = contributor.email
    contribution.show_name = contributor.show_name
    contribution.message = contributor.message
    if contributor.account is None and not (contributor.imported or contributor.confirmed):
        contribution.status = Status.AWAITING_CONFIRMATION
        contribution.save()
        emails.send_confirmation(contribution, site_url)
        return contribution
    contribution.status = Status.PENDING
    contribution.confirmed_at = timezone.now()
    contribution.save()
    if not contributor.imported:
        if contribution.contributor_email:
            emails.send_receipt(contribution, site_url)
        emails.notify_moderators(contribution, site_url)
    return contribution
