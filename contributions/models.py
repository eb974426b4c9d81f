"""Proposals from the ecosystem, and the moderation that publishes or refuses them.

A contribution groups the changes reviewed as one unit (a new actor with its relations, a
correction, a relation, a disappearance, a removal). It keeps what was proposed and the public
values of its target at that moment, so moderators see exactly what changes and whether someone
else changed the target since. Published tables (actors, relations) only ever receive validated
data, inside one transaction per contribution.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import PROPOSED_FIELDS, Actor
from relations.models import Relation, RelationType
from territories.models import Level, Territory
from territories.names import name_pattern
from tips_map.sources import ProvenanceKind
from tips_map.text import fold

from . import merge

NEW = "__nouvel_acteur__"  # stands for the proposed actor in the relations of a new actor


class Status(models.TextChoices):
    """Where a proposal stands; only a validated one reaches the published tables."""

    AWAITING_CONFIRMATION = "a_confirmer", _("En attente de confirmation de l'adresse électronique")
    PENDING = "en_attente", _("En attente de modération")
    VALIDATED = "validee", _("Validée")
    REFUSED = "refusee", _("Refusée")
    WITHDRAWN = "retiree", _("Retirée par son auteur")


class Kind(models.TextChoices):
    """What a proposal changes."""

    NEW_ACTOR = "nouvel_acteur", _("Nouvel acteur")
    CORRECTION = "correction", _("Correction")
    RELATION = "relation", _("Nouvelle relation")
    DISAPPEARANCE = "disparition", _("Disparition d'un acteur")
    REMOVAL = "suppression", _("Suppression d'un acteur")
    MERGE = "fusion", _("Fusion de doublons")


class AlreadyDecided(Exception):
    """Another moderator decided first, or the contributor withdrew it."""


class ContributionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Status.PENDING)

    def for_follow_token(self, token: str):
        return self.filter(follow_token=token).first() if token else None

    def sent_from(self, email: str):
        """Every proposal made with this address ("Mes propositions"), whatever its case."""
        return self.filter(contributor_email__iexact=email.strip())

    # Moderators per territory: where a proposal is ---------------------------------------------

    def within(self, territories) -> "ContributionQuerySet":
        """The proposals located in one of `territories` or in a territory nested in them (a
        département covers its EPCI and its communes): by a place recorded when it was proposed
        (see Contribution.find_places), or by the territory its actor has now. One query,
        whatever the number of territories."""
        paths = [territory.path for territory in territories]
        if not paths:
            return self.none()
        placed = Contribution.places.through.objects.filter(
            under(paths, "territory__path"), contribution=OuterRef("pk")
        )
        return self.filter(Exists(placed) | under(paths, "actor__territory__path"))


def under(paths: list[str], field: str) -> Q:
    """`field` (a territory's path) is one of `paths` or nested in one."""
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def new_follow_token() -> str:
    return secrets.token_urlsafe(24)


class Contribution(models.Model):
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.AWAITING_CONFIRMATION
    )
    actor = models.ForeignKey(
        Actor,
        verbose_name=_("acteur concerné"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        help_text=_("L'acteur corrigé, ou l'acteur créé une fois la proposition validée."),
    )
    actor_label = models.CharField(_("acteur (nom)"), max_length=300, blank=True)
    proposed = models.JSONField(_("valeurs proposées"), default=dict)
    snapshot = models.JSONField(_("valeurs publiées au moment de la proposition"), default=dict)
    message = models.TextField(_("message du contributeur"), blank=True)

    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte du contributeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    contributor_name = models.CharField(_("nom du contributeur"), max_length=200)
    contributor_email = models.EmailField(_("adresse électronique du contributeur"))
    show_name = models.BooleanField(_("nom affiché dans l'historique public"), default=False)
    follow_token = models.CharField(max_length=64, unique=True, default=new_follow_token)

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modérateur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_message = models.TextField(_("message de la décision"), blank=True)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    # Where it is, recorded when it is proposed: what the territory moderators' queue reads.
    places = models.ManyToManyField(
        Territory,
        verbose_name=_("territoires concernés"),
        blank=True,
        related_name="+",
        help_text=_(
            "Le territoire du lieu proposé, celui de l'acteur et ceux des acteurs de ses "
            "relations : les modérateurs de ces territoires la traitent."
        ),
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-created_at"]
        permissions = [("moderate_contribution", _("Peut valider ou refuser les propositions"))]
        indexes = [
            # The moderation queue lists pending contributions, oldest first.
            models.Index(fields=["status", "created_at"], name="contribution_queue_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["validee", "refusee"])
                | models.Q(decided_at__isnull=False),
                name="contribution_decision_is_dated",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.actor_label}"

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            # Located once, whoever creates it (proposals.py, an import, a test's factory).
            self.places.set(self.find_places())

    def get_absolute_url(self) -> str:
        return reverse("contributions:moderate", args=[self.pk])

    def get_follow_url(self) -> str:
        return reverse("contributions:follow", args=[self.follow_token])

    @property
    def public_contributor(self) -> str:
        """The name shown in public history: only with consent, never the email."""
        return self.contributor_name if self.show_name else ""

    # Lifecycle -------------------------------------------------------------------------------

    def confirm(self) -> bool:
        """The contributor proved the email: the proposal joins the queue (once)."""
        if self.status != Status.AWAITING_CONFIRMATION:
            return False
        self.status = Status.PENDING
        self.confirmed_at = timezone.now()
        self.save(update_fields=["status", "confirmed_at"])
        return True

    def withdraw(self) -> None:
        with transaction.atomic():
            locked = Contribution.objects.select_for_update().get(pk=self.pk)
            if locked.status not in (Status.AWAITING_CONFIRMATION, Status.PENDING):
                raise AlreadyDecided
            locked.status = Status.WITHDRAWN
            locked.decided_at = timezone.now()
            locked.save(update_fields=["status", "decided_at"])
        self.refresh_from_db()

    def decide(self, moderator, validate: bool, message: str = "", edited: dict | None = None):
        """Validate (applying every change) or refuse, atomically and exactly once.

        The row lock makes a second moderator wait for the first one's transaction, then find the
        contribution decided and be told so (AlreadyDecided) instead of applying it twice.
        """
        with transaction.atomic():
            locked = Contribution.objects.select_for_update().get(pk=self.pk)
            if locked.status != Status.PENDING:
                raise AlreadyDecided
            if locked.is_own(moderator):
                raise PermissionError("A contributor cannot decide their own proposal")
            if validate:
                if edited is not None:
                    locked.proposed = edited
                locked.apply(moderator)
                locked.status = Status.VALIDATED
            else:
                locked.status = Status.REFUSED
            locked.moderator = moderator
            locked.decision_message = message
            locked.decided_at = timezone.now()
            locked.save()
        self.refresh_from_db()

    def is_own(self, user) -> bool:
        if not user or not user.is_authenticated:
            return False
        same_account = self.contributor_id == user.pk
        same_email = bool(user.email) and user.email.lower() == self.contributor_email.lower()
        return same_account or same_email

    # Applying --------------------------------------------------------------------------------

    @property
    def change_reason(self) -> str:
        return f"Contribution n° {self.pk}"

    def apply(self, moderator) -> None:
        """Write the proposal into the published tables. Runs inside decide()'s transaction:
        any invalid value raises ValidationError and nothing at all is applied."""
        if self.kind == Kind.REMOVAL:
            actor = self.target()
            actor._change_reason = self.change_reason
            actor.delete()
            self.actor = None  # deleted: saving the decision must not point at it
            return
        if self.kind == Kind.MERGE:
            self.apply_merge()
            return
        actor = None
        if self.kind == Kind.NEW_ACTOR:
            actor = Actor(
                slug=Actor.objects.free_slug(self.proposed["actor"]["name"]),
                provenance=ProvenanceKind.CONTRIBUTION,
            )
        elif self.kind in (Kind.CORRECTION, Kind.DISAPPEARANCE):
            actor = self.target()
        today = timezone.localdate()
        if actor is not None:
            values, secondary_types = Actor.model_values(self.proposed.get("actor", {}))
            actor.publish(
                values,
                secondary_types=secondary_types,
                reason=self.change_reason,
                checked_on=today,
            )
            self.actor = actor
            self.actor_label = actor.name
        for values in self.proposed.get("relations", []):
            relation = Relation(
                source=self.partner(values["source"], actor),
                target=self.partner(values["target"], actor),
                type=values["type"],
            )
            relation.publish(
                {
                    "description": values.get("description", ""),
                    "provenance": ProvenanceKind.CONTRIBUTION,
                    "provenance_detail": values.get("source_detail", ""),
                },
                reason=self.change_reason,
                checked_on=today,
            )

    # Merging duplicates (contributions/merge.py) ---------------------------------------------

    def apply_merge(self) -> None:
        """B (`proposed["merge"]["merged"]`) into A (`"kept"`), A keeping the value `"choices"`
        says for each row; what was done is kept in `"done"`, for `undo_merge`."""
        chosen = self.proposed["merge"]
        done = merge.merge(
            chosen["kept"],
            chosen["merged"],
            chosen.get("choices", {}),
            reason=self.change_reason,
            checked_on=timezone.localdate(),
        )
        self.proposed = {**self.proposed, "merge": {**chosen, "done": done}}
        self.actor = Actor.every.get(pk=chosen["merged"])

    @property
    def undo_reason(self) -> str:
        return f"Annulation de la fusion (contribution n° {self.pk})"

    @property
    def can_be_undone(self) -> bool:
        merged = self.proposed.get("merge", {})
        return self.status == Status.VALIDATED and "done" in merged and "undone" not in merged

    def undo_merge(self, moderator) -> None:
        """Bring B back as it was, its relations too, and A's previous values: in one
        transaction, each change a version of the history; AlreadyDecided if undone already."""
        with transaction.atomic():
            locked = Contribution.objects.select_for_update().get(pk=self.pk)
            if locked.kind != Kind.MERGE or not locked.can_be_undone:
                raise AlreadyDecided
            merge.undo(locked.proposed["merge"]["done"], reason=locked.undo_reason)
            undone = {"at": timezone.now().isoformat(), "by": moderator.pk}
            locked.proposed = {
                **locked.proposed,
                "merge": {**locked.proposed["merge"], "undone": undone},
            }
            locked.save(update_fields=["proposed"])
        self.refresh_from_db()

    def target(self) -> Actor:
        if self.actor is None:
            raise ValidationError(_("L'acteur visé n'existe plus."))
        return self.actor

    @staticmethod
    def partner(slug: str, new_actor: Actor | None) -> Actor:
        """An end of a proposed relation: the proposed actor, or a published one."""
        if slug == NEW:
            return new_actor
        found = Actor.objects.filter(slug=slug).first()
        if found is None:
            raise ValidationError(_("Un acteur de la relation n'existe plus."))
        return found

    # Review ----------------------------------------------------------------------------------

    def diff(self) -> list[dict]:
        """Field by field: published now, published when proposed, proposed; and conflicts."""
        proposed = self.proposed.get("actor", {})
        current = (
            self.actor.public_values(PROPOSED_FIELDS)
            if self.actor and self.kind != Kind.NEW_ACTOR
            else {}
        )
        rows = []
        for field in PROPOSED_FIELDS:
            if field not in proposed and field not in self.snapshot:
                continue
            then = self.snapshot.get(field)
            now = current.get(field)
            rows.append(
                {
                    "field": field,
                    "label": Actor._meta.get_field(field).verbose_name,
                    "current": now,
                    "when_proposed": then,
                    "proposed": proposed.get(field, now),
                    "changed": field in proposed and proposed[field] != now,
                    "conflict": self.status == Status.PENDING
                    and bool(self.snapshot)
                    and field in proposed
                    and now != then,
                }
            )
        return rows

    @property
    def has_conflict(self) -> bool:
        return any(row["conflict"] for row in self.diff())

    def relation_rows(self) -> list[dict]:
        slugs = {v for r in self.proposed.get("relations", []) for v in (r["source"], r["target"])}
        names = dict(Actor.objects.filter(slug__in=slugs).values_list("slug", "name"))
        label = self.proposed.get("actor", {}).get("name") or self.actor_label
        rows = []
        for relation in self.proposed.get("relations", []):
            rows.append(
                {
                    "source": label
                    if relation["source"] == NEW
                    else names.get(relation["source"], relation["source"]),
                    "target": label
                    if relation["target"] == NEW
                    else names.get(relation["target"], relation["target"]),
                    "type": RelationType(relation["type"]).label,
                    "directed": relation["type"] == RelationType.PRESTATION_SERVICE,
                    "description": relation.get("description", ""),
                }
            )
        return rows

    # Where it is (moderators per territory) ----------------------------------------------------

    def find_places(self, proposed: dict | None = None) -> list[Territory]:
        """The territories a proposal touches, whatever its kind: the finest one containing the
        point it proposes (or, without a point, the one commune of the name it gives), its
        actor's, and those of the published actors at the ends of its relations; a kind that
        proposes no place is where its actor is. `proposed` (a moderator's edit) stands for the
        recorded values. Three queries at most."""
        proposed = self.proposed if proposed is None else proposed
        values = proposed.get("actor", {})
        found = []
        if values.get("latitude") is not None and values.get("longitude") is not None:
            found.append(Territory.objects.locate(values["latitude"], values["longitude"]))
        elif values.get("commune_name"):
            pattern = name_pattern(fold(values["commune_name"]))
            communes = list(
                Territory.objects.filter(level=Level.COMMUNE, name__regex=f"^{pattern}$")[:2]
            )
            found.extend(communes if len(communes) == 1 else [])  # "Saint-Denis": which one?
        ends = {end for r in proposed.get("relations", []) for end in (r["source"], r["target"])}
        ends.discard(NEW)
        published = Q(slug__in=ends)
        if self.actor_id:
            published |= Q(pk=self.actor_id)
        if ends or self.actor_id:
            actors = Actor.objects.filter(published)
            found.extend(Territory.objects.filter(actors__in=actors).distinct())
        return list({territory.pk: territory for territory in found if territory}.values())

    def is_within(self, territories, proposed: dict | None = None) -> bool:
        """ContributionQuerySet.within for this one proposal (or for it with `proposed` values
        instead of its own): recorded places, or its actor's territory now."""
        places = list(self.places.all()) if proposed is None else self.find_places(proposed)
        if self.actor_id and self.actor.territory_id:
            places.append(self.actor.territory)
        paths = [territory.path for territory in territories]
        return any(place.path.startswith(path) for place in places for path in paths)


# Moderators per territory -------------------------------------------------------------------


class ModerationScope(models.Model):
    """The territories a person moderates without being a chair admin: the proposals located
    there or in the territories nested in them (contributions/access.py reads it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="moderation_scope",
    )
    territories = models.ManyToManyField(
        Territory,
        verbose_name=_("territoires modérés"),
        related_name="moderation_scopes",
        help_text=_(
            "Un territoire couvre ceux qu'il contient : le Puy-de-Dôme couvre ses EPCI et "
            "ses communes."
        ),
    )

    class Meta:
        verbose_name = _("modération d'un territoire")
        verbose_name_plural = _("modérateurs de territoire")

    def __str__(self) -> str:
        return str(self.user)
