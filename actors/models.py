import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, F, Max, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actors.choices import (  # noqa: F401  (re-exported: where the app's code looks for them)
    ActorType,
    AdministrativeStatus,
    Lifecycle,
    LocationPrecision,
    Scope,
)
from actors.identifiers import IDENTIFIER_FIELDS, IdentifierField, identifier_errors
from actors.names import NameIndex, close_by, resemblance
from relations.models import Relation
from territories.models import Territory
from tips_map import coordinates
from tips_map.sources import (
    SourcedModel,
    covering,
    covers,
    parent_link,
    period_error,
    period_in_order,
    slug_of,
    unique_slug,
)
from tips_map.text import fold

# Said on the field by Actor.clean (forms, API, imports) and by the constraints (the database).
COORDINATES_TOGETHER = _("Indiquez la latitude et la longitude, ou aucune des deux.")
OWN_PARENT = _("Un acteur ne peut pas être sa propre organisation parente.")
ENDED_BEFORE_FOUNDED = _("L'année de disparition ne peut pas précéder l'année de création.")


# An actor's public shape, written once, in the order the API and the files give it: the
# serializer, the exports, the dump, the proposals and their review derive from these lists.
# A new public field is one line here (and its migration); it is proposable unless listed
# below, and its free text refused with HTML like the others.
# Where the actor is, as a person gives it (the rest of its location is derived or the chair's).
LOCATION_FIELDS = ["commune_name", "address", "country", "latitude", "longitude"]
PUBLIC_FIELDS = [
    "slug",
    "name",
    "short_name",
    "acronym",
    "type",
    "type_inferred",
    "secondary_types",
    "parent",
    "status",
    "missions",
    "scope",
    *LOCATION_FIELDS,
    "location_precision",
    "territory",
    "website",
    *IDENTIFIER_FIELDS,  # siren, siret, rna, wikidata (actors/identifiers.py)
    "lifecycle",
    "founded_year",
    "ended_year",
    "contacts",
    "provenance",
    "provenance_detail",
    "report_lines",
    "checked_on",
    "updated_at",
]
# Public, but set by the chair, a loader or the location (never proposed by contributors).
CHAIR_FIELDS = {
    "slug",
    "type_inferred",
    "location_precision",
    "territory",
    "contacts",
    "provenance",
    "report_lines",
    "checked_on",
    "updated_at",  # set by the database on every change
}
PROPOSED_FIELDS = [f for f in PUBLIC_FIELDS if f not in CHAIR_FIELDS]


class ActorTypeEntry(models.Model):
    """One row per actor type, so that secondary types are a plain many-to-many."""

    key = models.CharField(_("type"), max_length=40, primary_key=True, choices=ActorType.choices)

    class Meta:
        verbose_name = _("type d'acteur")
        verbose_name_plural = _("types d'acteurs")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.get_key_display()


def alive_in(year: int, prefix: str = "") -> Q:
    """Actors alive in `year` (tips_map.sources.covering): a disappeared actor whose end year
    is unknown counts in past years, not in the current one. `prefix` reads it through a
    relation ("source__")."""
    gone = Q(**{f"{prefix}lifecycle": Lifecycle.DISPARU})
    return covering(year, f"{prefix}founded_year", f"{prefix}ended_year", gone)


def is_alive_in(year: int, founded: int | None, ended: int | None, gone: bool) -> bool:
    """`alive_in` for values in hand (the network bundle)."""
    return covers(year, founded, ended, gone)


def relations_in(year: int):
    """The relations as they stood in `year`: active then, between two actors alive then."""
    return Relation.objects.active_in(year).filter(
        alive_in(year, "source__"), alive_in(year, "target__")
    )


def matching_words(query: str) -> Q:
    """The actors whose folded text (`Actor.search_text`) holds every word of `query`, in any
    order; an empty Q (everything) for a query without words."""
    return Q(*(Q(search_text__contains=word) for word in fold(query).split()))


class ActorQuerySet(models.QuerySet):
    def search(self, query: str) -> "ActorQuerySet":
        """Accent- and case-insensitive search over name, short name, acronym, commune and
        missions: every word of `query` must appear, in any of them ("lyon innovation")."""
        words = matching_words(query)
        return self.filter(words) if words else self

    def of_type(self, actor_type: str) -> "ActorQuerySet":
        """Actors whose main or secondary type is `actor_type`."""
        return self.filter(Q(type=actor_type) | Q(secondary_types=actor_type)).distinct()

    def in_territory(self, territory) -> "ActorQuerySet":
        return self.filter(territory__path__startswith=territory.path)

    def visible(self) -> "ActorQuerySet":
        """What the public sees by default: disappeared actors are hidden until asked for."""
        return self.exclude(lifecycle=Lifecycle.DISPARU)

    def alive_in(self, year: int) -> "ActorQuerySet":
        """The actors as they stood in `year` (the time control, ?annee=): see `alive_in`."""
        return self.filter(alive_in(year))

    def name_index(self) -> NameIndex:
        """The names of these actors, read in one query (see actors.names)."""
        return NameIndex(self.values_list(*NameIndex.FIELDS), dict(ActorType.choices))

    def named(self, text: str) -> list["Actor"]:
        """The actors a person designates by `text`: full name, short name, acronym or slug,
        ignoring case, accents and punctuation. One when unambiguous, several when the name is
        shared (the form asks which one), none when unknown. Two queries at most."""
        pks = self.name_index().named(text)
        found = self.in_bulk(pks) if pks else {}
        return [found[pk] for pk in pks]

    def same_name(self, name: str) -> "Actor | None":
        """The actor whose full name is `name`, ignoring case and accents (imports)."""
        folded = fold(name)
        if not folded:
            return None
        for actor in self.filter(search_text__startswith=folded):
            if fold(actor.name) == folded:
                return actor
        return None

    def similar_to(self, name: str, latitude=None, longitude=None) -> list["Actor"]:
        """Actors that may be the one named: the same name ignoring case and accents, one name
        inside the other, or a close name (difflib ratio), closer still if nearby. At most 10,
        the closest first."""
        folded = fold(name)
        if len(folded) < 3:
            return []
        candidates = self.only(
            "name", "short_name", "slug", "commune_name", "sort_name", "latitude", "longitude"
        )
        scored = []
        for actor in candidates:
            nearby = close_by(latitude, longitude, actor.latitude, actor.longitude)
            score = resemblance(folded, {fold(actor.name), actor.sort_name}, nearby)
            if score:
                scored.append((score, actor))
        return [actor for _score, actor in sorted(scored, key=lambda pair: -pair[0])[:10]]

    def suggested(self, text: str, named=()) -> "ActorQuerySet":
        """What a person typing `text` in an actor's name field is offered: the public search
        (`search`: so "metropole" finds "Métropole"), names (usual or full) that start with the
        text first, then names that contain it, then the other matches, each alphabetically.
        The actors `named` (the primary keys the text designates, see `named`) come first, even
        when only their acronym, slug or punctuation-free name matches ("dre lab")."""
        folded = fold(text)
        rank = Case(
            When(pk__in=list(named), then=Value(-1)),
            # search_text begins with the folded full name (see Actor.save).
            When(
                Q(sort_name__startswith=folded) | Q(search_text__startswith=folded), then=Value(0)
            ),
            When(Q(sort_name__contains=folded) | Q(name__icontains=text), then=Value(1)),
            default=Value(2),
        )
        matching = matching_words(text) | Q(pk__in=list(named))
        return self.filter(matching).annotate(rank=rank).order_by("rank", "sort_name", "slug")

    def free_slug(self, name: str) -> str:
        """A slug for a new actor named `name`, not yet taken (merged actors keep theirs, their
        card's address redirects): "archipel", else "archipel-2"…"""
        base = slug_of(name)[:100] or "acteur"
        slug, n = base, 2
        while Actor.every.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def absorber(self, slug: str) -> "Actor | None":
        """The published actor that the merged actor `slug` went into (at the end of a chain of
        merges), where its card's address leads; None if `slug` names no merged actor."""
        actor = Actor.every.filter(slug=slug).exclude(merged_into=None).first()
        while actor is not None and actor.merged_into_id is not None:
            actor = actor.merged_into
        return actor


class PublishedActorManager(models.Manager.from_queryset(ActorQuerySet)):
    """`Actor.objects`: the one place that takes merged actors out of everything published (map,
    list, network, search, exports, API, name fields). `Actor.every` keeps them (history, undo)."""

    def get_queryset(self) -> ActorQuerySet:
        return super().get_queryset().filter(merged_into=None)


class Actor(SourcedModel):
    """An organised actor of public innovation: an organisation or one of its services."""

    name = models.CharField(
        _("nom"), max_length=300, help_text=_("« Organisation - Service », comme dans le rapport.")
    )
    short_name = models.CharField(
        _("nom usuel"), max_length=120, blank=True, help_text=_("Le nom sous lequel on le connaît.")
    )
    slug = models.SlugField(_("identifiant"), max_length=120)
    acronym = models.CharField(_("sigle"), max_length=40, blank=True)
    type = models.CharField(_("type d'acteur"), max_length=40, choices=ActorType.choices)
    type_inferred = models.BooleanField(
        _("type déduit"),
        default=False,
        help_text=_("Coché quand le rapport ne classe pas l'acteur et que le type a été déduit."),
    )
    secondary_types = models.ManyToManyField(
        ActorTypeEntry,
        verbose_name=_("types secondaires"),
        blank=True,
        help_text=_("Un acteur peut relever de plusieurs catégories ; un seul type est affiché."),
    )
    parent = parent_link(_("organisation parente"), related_name="services")
    status = models.CharField(
        _("statut administratif"), max_length=40, choices=AdministrativeStatus.choices, blank=True
    )
    missions = models.TextField(_("missions"), blank=True)
    scope = models.CharField(_("portée"), max_length=20, choices=Scope.choices, blank=True)

    commune_name = models.CharField(_("commune"), max_length=120, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    country = models.CharField(
        _("pays"), max_length=2, default="FR", help_text=_("Code ISO 3166 à deux lettres.")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    location_precision = models.CharField(
        _("précision de la localisation"),
        max_length=20,
        choices=LocationPrecision.choices,
        default=LocationPrecision.COMMUNE,
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actors",
        help_text=_("Déduit de la localisation, sauf s'il est fixé à la main."),
    )
    territory_set_by_hand = models.BooleanField(_("territoire fixé à la main"), default=False)
    # A duplicate merged into another actor: kept with its history, out of every published list.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionné dans"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absorbed",
    )

    website = models.URLField(_("site internet"), max_length=500, blank=True)
    siren = IdentifierField(scheme="siren")
    siret = IdentifierField(scheme="siret")
    rna = IdentifierField(scheme="rna")
    wikidata = IdentifierField(scheme="wikidata")
    lifecycle = models.CharField(
        _("cycle de vie"), max_length=20, choices=Lifecycle.choices, default=Lifecycle.ACTIF
    )
    founded_year = models.PositiveSmallIntegerField(_("année de création"), null=True, blank=True)
    ended_year = models.PositiveSmallIntegerField(_("année de disparition"), null=True, blank=True)

    # Folded copies (see tips_map.text.fold): accent-insensitive search and French-like ordering
    # ("École" sorts with "e", not after "z") that behave the same on SQLite and PostgreSQL.
    search_text = models.TextField(editable=False, blank=True)
    sort_name = models.CharField(max_length=300, editable=False, blank=True, db_index=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[secondary_types], excluded_fields=["search_text", "sort_name", "updated_at"]
    )
    # The default manager (admin, uniqueness checks, related managers) sees every actor.
    every = ActorQuerySet.as_manager()
    objects = PublishedActorManager()

    class Meta:
        verbose_name = _("acteur")
        verbose_name_plural = _("acteurs")
        ordering = ["sort_name"]
        indexes = [
            models.Index(fields=["type"], name="actor_type_idx"),
            # ?modifie_depuis= and the data's date (the latest change) read it.
            models.Index(fields=["updated_at"], name="actor_updated_at_idx"),
        ]
        constraints = [
            unique_slug("actor", _("Un acteur porte déjà cet identifiant.")),
            *coordinates.in_range("actor", "latitude", "longitude"),
            # Half a coordinate places the actor nowhere; refuse it rather than guess.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="actor_coordinates_together",
                violation_error_message=COORDINATES_TOGETHER,
            ),
            period_in_order(
                "actor_ended_after_founded", "founded_year", "ended_year", ENDED_BEFORE_FOUNDED
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="actor_not_its_own_parent",
                violation_error_message=OWN_PARENT,
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, locate: bool = True, **kwargs) -> None:
        """`locate=False` keeps the territory as set (a loader's or a restored version's)."""
        self.sort_name = fold(self.display_name)
        self.search_text = fold(
            " ".join(
                filter(
                    None,
                    [self.name, self.short_name, self.acronym, self.commune_name, self.missions],
                )
            )
        )
        if locate:
            self.locate()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("actors:detail", args=[self.slug])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def map_point(self, **extra) -> dict:
        """The actor as the map scripts draw it (card and territory maps)."""
        return self.point({f: getattr(self, f) for f in self.POINT_FIELDS}, **extra)

    POINT_FIELDS = ["slug", "name", "short_name", "type", "latitude", "longitude", "lifecycle"]

    @staticmethod
    def point(values: dict, **extra) -> dict:
        """`map_point` from a `.values(*POINT_FIELDS)` row, for thousands without instances."""
        return {
            "slug": values["slug"],
            "name": values["short_name"] or values["name"],
            "type": values["type"],
            "lat": values["latitude"],
            "lon": values["longitude"],
            "gone": values["lifecycle"] == Lifecycle.DISPARU,
            **extra,
        }

    @property
    def is_abroad(self) -> bool:
        return self.country != "FR"

    def clean(self) -> None:
        """Every check constraint's rule, said on its field (the constraints would say it for the
        whole record, with a query each): publish() relies on it, tests/actors/test_constraints.py
        holds one against the other."""
        super().clean()
        errors = {}
        if isinstance(self.latitude, float | int) and not -90 <= self.latitude <= 90:
            errors["latitude"] = coordinates.LATITUDE_RANGE
        if isinstance(self.longitude, float | int) and not -180 <= self.longitude <= 180:
            errors["longitude"] = coordinates.LONGITUDE_RANGE
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = COORDINATES_TOGETHER
        if self.parent_id is not None and self.parent_id == self.pk:
            errors["parent"] = OWN_PARENT
        errors |= period_error(self, "founded_year", "ended_year", ENDED_BEFORE_FOUNDED)
        errors |= identifier_errors(self)
        if not errors.get("ended_year") and self.ended_year and self.lifecycle == Lifecycle.ACTIF:
            errors["ended_year"] = _("Un acteur actif n'a pas d'année de disparition.")
        if errors:
            raise ValidationError(errors)

    # The published shape -------------------------------------------------------------------

    def public_values(self, fields=None, *, contacts=None, secondary_types=None) -> dict:
        """SourcedModel.public_values of the actor's public fields (all, or `fields`), with
        its secondary types as sorted keys and its contacts as {"name", "function"}. What
        proposals keep, the dump and the GeoJSON write.

        `contacts` and `secondary_types`, when given, stand for the actor's own (read once as
        rows for thousands of actors)."""
        fields = fields or PUBLIC_FIELDS
        values = super().public_values(
            [f for f in fields if f not in ("secondary_types", "contacts")]
        )
        if "secondary_types" in fields:
            if secondary_types is None:
                secondary_types = [entry.key for entry in self.secondary_types.all()]
            values["secondary_types"] = sorted(secondary_types)
        if "contacts" in fields:
            if contacts is None:
                contacts = [{"name": c.name, "function": c.function} for c in self.contacts.all()]
            values["contacts"] = contacts
        return {name: values[name] for name in fields}

    @classmethod
    def model_values(cls, public: dict) -> tuple[dict, list | None]:
        """The inverse of `public_values` for proposed fields: model values (the parent as an
        actor, None if it no longer exists) and the secondary types apart."""
        values = dict(public)
        secondary_types = values.pop("secondary_types", None)
        if "parent" in values:
            values["parent"] = cls.objects.filter(slug=values["parent"]).first() or None
        return values, secondary_types

    def publish(
        self,
        values: dict,
        *,
        reason: str,
        secondary_types=None,
        contacts=None,
        checked_on: datetime.date | None = None,
    ) -> list[str]:
        """SourcedModel.publish, with the actor's own: a `territory` given is kept (otherwise
        the location decides it); a position less precise than the published one (a town hall
        over an exact address) is not applied; `secondary_types` (keys) and `contacts` ((name,
        function) pairs) replace the actor's when given, in the same version."""
        values = dict(values)
        if self.is_placed_better_than(values):
            for name in ("latitude", "longitude", "location_precision"):
                values.pop(name, None)
        new = self._state.adding
        changed = self.assign(values)
        types = None
        if secondary_types is not None:
            types = sorted(set(secondary_types) - {self.type})
            published = [] if new else sorted(e.key for e in self.secondary_types.all())
            if types != published:
                changed.append("secondary_types")
        if contacts is not None:
            contacts = [(name, function or "") for name, function in contacts]
            published = [] if new else [(c.name, c.function) for c in self.contacts.all()]
            if contacts != published:
                changed.append("contacts")
        if not (new or changed):
            return []
        with transaction.atomic():
            if not new and "secondary_types" in changed:
                # Without a version of their own: the save below records them with the rest.
                self.skip_history_when_saving = True
                try:
                    self.secondary_types.set(types)
                finally:
                    del self.skip_history_when_saving
            self.record(reason, checked_on, locate=self.is_moved(values, changed))
            if new and types:
                self.secondary_types.set(types)
            if "contacts" in changed:
                self.replace_contacts(contacts, reason)
        return changed

    def is_moved(self, values: dict, changed: list[str]) -> bool:
        """Whether the territory must follow the location: a territory given is kept, and one
        derived is derived again only when the position or the hand-set flag changed."""
        if {"territory", "territory_id"} & set(values):
            return False
        return bool({"latitude", "longitude", "territory_set_by_hand"} & set(changed))

    def is_placed_better_than(self, values: dict) -> bool:
        """Whether the published position is exact and `values` bring a less precise one."""
        return (
            not self._state.adding
            and "location_precision" in values
            and self.location_precision == LocationPrecision.ADDRESS
            and self.latitude is not None
            and values["location_precision"] != LocationPrecision.ADDRESS
        )

    def replace_contacts(self, contacts: list[tuple[str, str]], reason: str) -> None:
        for contact in self.contacts.all():
            contact._change_reason = reason
            contact.delete()
        for position, (name, function) in enumerate(contacts):
            contact = Contact(actor=self, name=name, function=function, position=position)
            contact._change_reason = reason
            contact.save()

    def locate(self) -> None:
        """Derive the territory from the coordinates, unless a moderator fixed it by hand."""
        if self.territory_set_by_hand or self.latitude is None or self.longitude is None:
            return
        self.territory = Territory.objects.locate(self.latitude, self.longitude)


class Contact(models.Model):
    """A contact person as the report's actors file gives them: a name and a function."""

    actor = models.ForeignKey(
        Actor, verbose_name=_("acteur"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("nom"), max_length=200)
    function = models.CharField(_("fonction"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("personne de contact")
        verbose_name_plural = _("personnes de contact")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.function})" if self.function else self.name


def data_datetime() -> datetime.datetime:
    """When the published data last changed: the latest actor or relation change, else now.
    The date the exports, the API and the network pages give for the data."""
    latest = [
        Actor.objects.aggregate(latest=Max("updated_at"))["latest"],
        Relation.objects.aggregate(latest=Max("updated_at"))["latest"],
    ]
    latest = [moment for moment in latest if moment is not None]
    return max(latest) if latest else timezone.now()


def data_date(moment: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(moment or data_datetime())
