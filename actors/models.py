import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from relations.models import Relation
from territories.models import Territory
from tips_map.sources import SourcedModel
from tips_map.text import fold


class ActorType(models.TextChoices):
    """The report's typology of organised actors (section 2.2.1), plus "other"."""

    CELLULE_INNOVATION = "cellule_innovation", _("Cellule publique d'innovation")
    PROMOTION_ACCOMPAGNEMENT = (
        "promotion_accompagnement",
        _("Acteur de promotion et d'accompagnement"),
    )
    INTERMEDIATION = "intermediation", _("Faiseur d'intermédiation")
    FORMATION_RECHERCHE = "formation_recherche", _("Structure de formation-recherche")
    PRESTATAIRE = "prestataire", _("Prestataire et cabinet spécialisé")
    RESEAU_COMMUNAUTE = "reseau_communaute", _("Réseau et communauté d'acteurs")
    AUTRE = "autre", _("Autre acteur de l'écosystème")


class AdministrativeStatus(models.TextChoices):
    COLLECTIVITE_TERRITORIALE = "collectivite_territoriale", _("Collectivité territoriale")
    GROUPEMENT_COLLECTIVITES = (
        "groupement_collectivites",
        _("Groupement de collectivités (EPCI, PETR, syndicat)"),
    )
    SERVICE_DECONCENTRE = "service_deconcentre", _("Service déconcentré de l'État")
    ADMINISTRATION_CENTRALE = "administration_centrale", _("Administration centrale de l'État")
    ETABLISSEMENT_PUBLIC = "etablissement_public", _("Établissement public")
    ENTREPRISE_PUBLIQUE_LOCALE = "entreprise_publique_locale", _("Entreprise publique locale")
    ASSOCIATION = "association", _("Association")
    COOPERATIVE = "cooperative", _("Coopérative")
    ENTREPRISE = "entreprise", _("Entreprise")
    UNIVERSITE_ECOLE = "universite_ecole", _("Université, école")
    RESEAU_INFORMEL = "reseau_informel", _("Réseau informel")
    AUTRE = "autre", _("Autre")


class Scope(models.TextChoices):
    LOCAL = "local", _("Locale")
    DEPARTEMENTAL = "departemental", _("Départementale")
    REGIONAL = "regional", _("Régionale")
    NATIONAL = "national", _("Nationale")


class Lifecycle(models.TextChoices):
    # Section 2.3.2 "Naissance, vie et mort des Labs".
    NAISSANT = "naissant", _("Naissant")
    ACTIF = "actif", _("Actif")
    DISPARU = "disparu", _("Disparu")


class LocationPrecision(models.TextChoices):
    ADDRESS = "adresse", _("Adresse exacte")
    COMMUNE = "commune", _("Approximative : mairie de la commune")
    APPROXIMATE = "approximative", _("Approximative : ville")


class ActorTypeEntry(models.Model):
    """One row per actor type, so that secondary types are a plain many-to-many."""

    key = models.CharField(_("type"), max_length=40, primary_key=True, choices=ActorType.choices)

    class Meta:
        verbose_name = _("type d'acteur")
        verbose_name_plural = _("types d'acteurs")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.get_key_display()


class ActorQuerySet(models.QuerySet):
    def search(self, query: str) -> "ActorQuerySet":
        """Accent- and case-insensitive search over name, acronym, missions and commune."""
        folded = fold(query)
        return self.filter(search_text__contains=folded) if folded else self

    def of_type(self, actor_type: str) -> "ActorQuerySet":
        """Actors whose main or secondary type is `actor_type`."""
        return self.filter(Q(type=actor_type) | Q(secondary_types=actor_type)).distinct()

    def in_territory(self, territory) -> "ActorQuerySet":
        return self.filter(territory__path__startswith=territory.path)

    def visible(self) -> "ActorQuerySet":
        """What the public sees by default: disappeared actors are hidden until asked for."""
        return self.exclude(lifecycle=Lifecycle.DISPARU)


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
    parent = models.ForeignKey(
        "self",
        verbose_name=_("organisation parente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
    )
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

    website = models.URLField(_("site internet"), max_length=500, blank=True)
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
    objects = ActorQuerySet.as_manager()

    class Meta:
        verbose_name = _("acteur")
        verbose_name_plural = _("acteurs")
        ordering = ["sort_name"]
        indexes = [models.Index(fields=["type"], name="actor_type_idx")]
        constraints = [
            # The slug is the card's address (/acteurs/<slug>/): links from other sites rely on it.
            models.UniqueConstraint(
                fields=["slug"],
                name="actor_unique_slug",
                violation_error_message=_("Un acteur porte déjà cet identifiant."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="actor_latitude_in_range",
                violation_error_message=_("La latitude doit être comprise entre -90 et 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="actor_longitude_in_range",
                violation_error_message=_("La longitude doit être comprise entre -180 et 180."),
            ),
            # Half a coordinate places the actor nowhere; refuse it rather than guess.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="actor_coordinates_together",
                violation_error_message=_(
                    "Indiquez la latitude et la longitude, ou aucune des deux."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_year__isnull=True)
                | Q(founded_year__isnull=True)
                | Q(ended_year__gte=F("founded_year")),
                name="actor_ended_after_founded",
                violation_error_message=_(
                    "L'année de disparition ne peut pas précéder l'année de création."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="actor_not_its_own_parent",
                violation_error_message=_(
                    "Un acteur ne peut pas être sa propre organisation parente."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        self.sort_name = fold(self.display_name)
        self.search_text = fold(
            " ".join(
                filter(
                    None,
                    [self.name, self.short_name, self.acronym, self.commune_name, self.missions],
                )
            )
        )
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
        super().clean()
        if self.ended_year and self.lifecycle == Lifecycle.ACTIF:
            raise ValidationError(
                {"ended_year": _("Un acteur actif n'a pas d'année de disparition.")}
            )

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
