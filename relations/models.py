from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tips_map.sources import (
    SourcedModel,
    covering,
    covers,
    period_error,
    period_in_order,
)


class RelationType(models.TextChoices):
    """The report's three relation types (annex 2), drawn solid, dashed and bold."""

    PARTAGE_INFORMATION = "partage_information", _("Partage d'informations")
    PRESTATION_SERVICE = "prestation_service", _("Prestation de service")
    COLLABORATION = "collaboration", _("Collaboration")


class Origin(models.TextChoices):
    """How the chair knows of a relation: who states it, or whether it is the chair's reading.
    A relation confirmed by the other party (a validated confirmation) becomes DECLARED_BY_BOTH."""

    DECLARED = "declaree", _("Déclarée par une partie")
    DECLARED_BY_BOTH = "declaree_deux", _("Déclarée par les deux parties")
    DOCUMENT = "document", _("Observée dans un document")
    INFERRED = "inferee", _("Inférée par la chaire")


# A relation's public shape, written once: the API, the exports and the dump derive from it.
PUBLIC_FIELDS = [
    "source",
    "target",
    "type",
    "description",
    "start_year",
    "end_year",
    "ended",
    "origin",
    "evidence_quote",
    "evidence_url",
    "provenance",
    "provenance_detail",
    "report_lines",
    "checked_on",
    "updated_at",
]
ENDS_BEFORE_START = _("L'année de fin ne peut pas précéder l'année de début.")
# Only service provision has a direction (provider -> beneficiary).
DIRECTED_TYPES = frozenset({RelationType.PRESTATION_SERVICE})


class RelationQuerySet(models.QuerySet):
    def involving(self, actor) -> "RelationQuerySet":
        return self.filter(Q(source=actor) | Q(target=actor))

    def stored_or_new(self, source, target, type: str) -> "Relation":
        """The stored relation for this pair and type (symmetric ones in either order), or a
        new unsaved one in canonical order: the one lookup every loader needs."""
        relation = Relation(source=source, target=target, type=type)
        relation.normalize()
        existing = self.filter(
            source=relation.source, target=relation.target, type=relation.type
        ).first()
        return existing or relation

    def of_records(self, records: list[dict], actors: dict):
        """(record, relation) for loaded records ({"source": slug, "target": slug, "type": …}):
        `stored_or_new` between `actors` found by slug. LookupError names an unknown actor."""
        for record in records:
            try:
                source, target = actors[record["source"]], actors[record["target"]]
            except KeyError as missing:
                raise LookupError(f"relation {record}: unknown actor {missing}") from None
            yield record, self.stored_or_new(source, target, record["type"])

    def active_in(self, year: int) -> "RelationQuerySet":
        """The relations whose own period covers `year` (tips_map.sources.covering): one that
        ended in an unknown year counts in past years, not in the current one. That both ends
        were alive then is the actors' rule (actors.models.relations_in)."""
        return self.filter(covering(year, "start_year", "end_year", Q(ended=True)))

    def of_origin(self, origins) -> "RelationQuerySet":
        return self.filter(origin__in=origins) if origins else self

    def between(self, first, second) -> "RelationQuerySet":
        return self.filter(Q(source=first, target=second) | Q(source=second, target=first))


def end(label, related_name: str, role) -> models.ForeignKey:
    """An end of a relation: an actor, whose relations go when it goes."""
    return models.ForeignKey(
        "actors.Actor",
        verbose_name=label,
        on_delete=models.CASCADE,
        related_name=related_name,
        help_text=role,
    )


class Relation(SourcedModel):
    """A relation between two actors.

    Actors are named by their model's label ("actors.Actor"): the actors app is the one that
    knows its relations (its filters, admin and pages), not the other way round.

    A symmetric relation (information sharing, collaboration) is stored once, with the smaller
    actor id as `source`; the database refuses the other order, so A–B and B–A cannot coexist.
    For service provision, `source` is the provider and `target` the beneficiary.
    """

    source = end(
        _("acteur source"),
        "relations_as_source",
        _("Pour une prestation de service : le prestataire."),
    )
    target = end(
        _("acteur cible"),
        "relations_as_target",
        _("Pour une prestation de service : le bénéficiaire."),
    )
    type = models.CharField(_("type de relation"), max_length=30, choices=RelationType.choices)
    description = models.TextField(_("description"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("année de début"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("année de fin"), null=True, blank=True)
    # An unknown year is not "none": a relation that has ended, in a year nobody knows, is
    # `ended` with no end year; an ongoing one is not ended (an end year implies ended).
    ended = models.BooleanField(
        _("terminée"),
        default=False,
        help_text=_("Cochez si la relation a pris fin, même si l'année en est inconnue."),
    )
    origin = models.CharField(
        _("origine"),
        max_length=20,
        choices=Origin.choices,
        default=Origin.DECLARED,
        help_text=_("Qui établit la relation : une partie, les deux, un document, ou la chaire."),
    )
    evidence_quote = models.TextField(
        _("citation"),
        blank=True,
        help_text=_("Le passage qui établit la relation, cité tel quel."),
    )
    evidence_url = models.URLField(
        _("lien de la preuve"),
        blank=True,
        max_length=500,
        help_text=_("La page ou le document en ligne qui l'établit."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = RelationQuerySet.as_manager()

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        ordering = ["type", "source__name", "target__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="relation_not_to_itself",
                violation_error_message=_("Un acteur ne peut pas être en relation avec lui-même."),
            ),
            models.UniqueConstraint(
                fields=["source", "target", "type"],
                name="relation_unique_per_pair_and_type",
                violation_error_message=_(
                    "Cette relation existe déjà entre ces deux acteurs, avec ce type."
                ),
            ),
            # Stored once: a symmetric relation always goes from the smaller id to the larger.
            models.CheckConstraint(
                condition=Q(type=RelationType.PRESTATION_SERVICE) | Q(source__lt=F("target")),
                name="relation_symmetric_stored_once",
                violation_error_message=_(
                    "Une relation symétrique est enregistrée une seule fois, dans l'ordre canonique."
                ),
            ),
            period_in_order(
                "relation_ends_after_start", "start_year", "end_year", ENDS_BEFORE_START
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(ended=True),
                name="relation_end_year_means_ended",
                violation_error_message=_("Une relation qui a une année de fin est terminée."),
            ),
        ]
        indexes = [
            models.Index(fields=["target", "type"], name="relation_target_type_idx"),
            # ?modifie_depuis= and the data's date (the latest change) read it.
            models.Index(fields=["updated_at"], name="relation_updated_at_idx"),
        ]

    def __str__(self) -> str:
        arrow = "→" if self.is_directed else "—"
        return f"{self.source} {arrow} {self.target} ({self.get_type_display()})"

    @property
    def is_directed(self) -> bool:
        return self.type in DIRECTED_TYPES

    def other(self, actor):
        return self.target if self.source_id == actor.pk else self.source

    @staticmethod
    def is_active_in(year: int, start: int | None, end: int | None, ended: bool) -> bool:
        """`RelationQuerySet.active_in` for values in hand (the network bundle)."""
        return covers(year, start, end, ended)

    def normalize(self) -> None:
        """Put a symmetric relation in its canonical order (smaller id first)."""
        if (
            not self.is_directed
            and self.source_id
            and self.target_id
            and self.source_id > self.target_id
        ):
            self.source, self.target = self.target, self.source

    def clean(self) -> None:
        """Every check constraint's rule, said on its field (see Actor.clean)."""
        super().clean()
        self.normalize()
        errors = {}
        if self.source_id and self.source_id == self.target_id:
            errors["target"] = _("Un acteur ne peut pas être en relation avec lui-même.")
        errors |= period_error(self, "start_year", "end_year", ENDS_BEFORE_START)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.normalize()
        self.ended = self.ended or bool(self.end_year)
        super().save(*args, **kwargs)

    def public_values(self, fields=None) -> dict:
        return super().public_values(fields or PUBLIC_FIELDS)
