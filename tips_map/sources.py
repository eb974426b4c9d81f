"""The base of every record the public reads: where its facts come from, its published shape,
and the one way validated values are written into it.

Actors and relations both cite their sources (the report's lines, an interview, a website, a
contribution, an import) and the day they were last checked, and are published the same way.
It sits here, below the data apps, so that none of them has to import another for it.
"""

import datetime

from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .text import expand_ligatures


class ProvenanceKind(models.TextChoices):
    """Where a fact comes from."""

    REPORT = "rapport", _("Rapport de la chaire")
    INTERVIEW = "entretien", _("Entretien")
    WEBSITE = "site_web", _("Site internet")
    CONTRIBUTION = "contribution", _("Contribution")
    IMPORT = "import", _("Import de données")
    OTHER = "autre", _("Autre")


class SourcedModel(models.Model):
    """Where a record's facts come from and when they were last checked."""

    provenance = models.CharField(
        _("source"), max_length=20, choices=ProvenanceKind.choices, default=ProvenanceKind.REPORT
    )
    provenance_detail = models.TextField(
        _("précisions sur la source"),
        blank=True,
        help_text=_("Par exemple : entretien du 12 mai 2022, page du site consultée…"),
    )
    report_lines = models.TextField(
        _("lignes du rapport"),
        blank=True,
        help_text=_("Lignes du rapport de la chaire qui l'établissent, par exemple « 798, 1540 »."),
    )
    checked_on = models.DateField(_("dernière vérification"), null=True, blank=True)

    class Meta:
        abstract = True

    def cited_lines(self) -> list[int]:
        """ "798-800, 1540" -> [798, 799, 800, 1540]."""
        lines = []
        for part in filter(None, (p.strip() for p in self.report_lines.split(","))):
            first, _dash, last = part.partition("-")
            lines.extend(range(int(first), int(last or first) + 1))
        return lines

    # The published shape, and publishing -------------------------------------------------

    def public_values(self, fields: list[str]) -> dict:
        """The fields ready for JSON: choices as keys, a linked record as its slug ("" when
        none), dates in ISO."""
        values = {}
        for name in fields:
            field = self._meta.get_field(name)
            if field.many_to_one:
                linked = getattr(self, field.attname) is not None
                values[name] = getattr(self, name).slug if linked else ""
            else:
                value = getattr(self, name)
                values[name] = value.isoformat() if isinstance(value, datetime.date) else value
        return values

    def publish(self, values: dict, *, reason: str, checked_on=None) -> list[str]:
        """Write validated values into the record, new or published: the one way they reach the
        published tables (moderation, imports, loaders and restore all come here).

        Every rule of the model is checked first; one version of the history is recorded, with
        `reason`. `values` maps fields (or a foreign key's attname) to model values; None
        empties a field. Nothing is written when nothing differs. Returns the names of what
        changed (for a new record, of everything given)."""
        changed = self.assign(values)
        if not (self._state.adding or changed):
            return []
        self.record(reason, checked_on)
        return changed

    def assign(self, values: dict) -> list[str]:
        """Set the values; the names of those that differ (all of them on a new record)."""
        changed = []
        for name, value in values.items():
            if value is None:
                value = empty_value(self._meta.get_field(name))
            if self._state.adding or getattr(self, name) != value:
                setattr(self, name, value)
                changed.append(name)
        return changed

    def record(self, reason: str, checked_on=None, **save_options) -> None:
        """Check every rule, then save with `reason` in the history.

        The check constraints' rules are said in Python by each model's clean() (Django would
        spend a query on each, for every record a loader writes); the unique ones need the
        database. The database checks them all again on save."""
        if checked_on is not None:
            self.checked_on = checked_on
        self.full_clean(validate_constraints=False)
        for constraint in self._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint):
                constraint.validate(type(self), self)
        self._change_reason = reason
        self.save(**save_options)


def dated_by_history(app_label: str, model_name: str):
    """A data migration's function: each record's `updated_at` set to the date of its latest
    version in the history (a record without one keeps its own), not to whenever it was last
    saved in bulk. Used by the migrations that index updated_at (actors 0004, relations 0002)."""

    def fill(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        history = apps.get_model(app_label, f"Historical{model_name}")
        latest = history.objects.filter(id=OuterRef("pk")).order_by("-history_date")
        model._default_manager.update(
            updated_at=Coalesce(Subquery(latest.values("history_date")[:1]), F("updated_at"))
        )

    return fill


def parent_link(verbose_name, related_name: str) -> models.ForeignKey:
    """A record's place in its hierarchy (a service's organisation, a territory's wider one):
    optional, and a parent is never deleted from under its children (PROTECT)."""
    return models.ForeignKey(
        "self",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
    )


def unique_slug(prefix: str, message) -> models.UniqueConstraint:
    """A record's slug is its page's address (/acteurs/<slug>/, /territoires/<slug>/), which
    links from other sites rely on: unique, "<prefix>_unique_slug", with its French message."""
    return models.UniqueConstraint(
        fields=["slug"], name=f"{prefix}_unique_slug", violation_error_message=message
    )


def slug_of(name: str) -> str:
    """The slug a new record named `name` gets ("Œuvre sociale" -> "oeuvre-sociale"): the one
    rule for actors and territories. Only new records get one: a published slug never changes."""
    return slugify(expand_ligatures(name))


def period_in_order(name: str, first: str, last: str, message) -> models.CheckConstraint:
    """The database's guarantee that a period ends no sooner than it starts (years, either
    of which may be unknown): an actor's founding and end, a relation's start and end. The
    models' clean() says it on the field too, with the same message (see `period_error`)."""
    return models.CheckConstraint(
        condition=Q(**{f"{last}__isnull": True})
        | Q(**{f"{first}__isnull": True})
        | Q(**{f"{last}__gte": F(first)}),
        name=name,
        violation_error_message=message,
    )


def period_error(record, first: str, last: str, message) -> dict:
    """{last: message} when `record`'s period ends before it starts, else {}."""
    start, end = getattr(record, first), getattr(record, last)
    return {last: message} if start and end and end < start else {}


def covering(year: int, first: str, last: str, ended: Q) -> Q:
    """The records whose period covers `year`: begun by then and not ended before it, an
    unknown year (None) never excluding. A record `ended` in a year nobody knows (a
    disappeared actor, an ended relation, without their last year) counts in past years, not
    in the current one. The one rule of "the ecosystem as it stood that year" for actors
    (founded, ended) and relations (start, end); `covers` says it in Python."""
    begun = Q(**{f"{first}__isnull": True}) | Q(**{f"{first}__lte": year})
    not_ended = Q(**{f"{last}__isnull": True}) | Q(**{f"{last}__gte": year})
    if year >= current_year():
        not_ended &= ~(ended & Q(**{f"{last}__isnull": True}))
    return begun & not_ended


def covers(year: int, first: int | None, last: int | None, ended: bool) -> bool:
    """`covering` for values in hand (the network bundle filters in memory)."""
    if ended and last is None and year >= current_year():
        return False
    return (first is None or first <= year) and (last is None or last >= year)


def current_year() -> int:
    return datetime.date.today().year


def empty_value(field: models.Field):
    """What an emptied field holds: None where it may, "" for text, the default for a flag."""
    if field.null:
        return None
    return "" if field.empty_strings_allowed else field.get_default()
