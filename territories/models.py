from functools import cached_property

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from shapely.geometry import Point, shape
from shapely.prepared import prep
from simple_history.models import HistoricalRecords

from tips_map import coordinates
from tips_map.sources import parent_link, unique_slug


class Level(models.TextChoices):
    # Ordered from the widest to the finest; the order is the nesting order.
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    EPCI = "epci", _("EPCI / métropole")
    COMMUNE = "commune", _("Commune")


LEVEL_DEPTH = {level: depth for depth, level in enumerate(Level.values)}


class TerritoryQuerySet(models.QuerySet):
    def within(self, territory: "Territory") -> "TerritoryQuerySet":
        """The territory and everything nested in it, in one indexed prefix query."""
        return self.filter(path__startswith=territory.path)

    def locate(self, latitude: float, longitude: float) -> "Territory | None":
        """The finest territory whose boundary contains the point, or None outside all of them."""
        point = Point(longitude, latitude)
        # The bounding boxes narrow thousands of territories to the few nested ones in SQL.
        candidates = self.filter(
            min_latitude__lte=latitude,
            max_latitude__gte=latitude,
            min_longitude__lte=longitude,
            max_longitude__gte=longitude,
        )
        found = [t for t in candidates if t.contains(point)]
        if not found:
            return None
        return max(found, key=lambda t: LEVEL_DEPTH[t.level])


class Territory(models.Model):
    """A région, département, EPCI or commune, with its INSEE code (SIREN for an EPCI).

    `path` materialises the ancestry ("84/63/246300701/63113/") so that "everything in the
    Puy-de-Dôme" is one prefix query whatever the depth.
    """

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=220)
    level = models.CharField(_("niveau"), max_length=20, choices=Level.choices)
    code = models.CharField(
        _("code officiel"), max_length=20, help_text=_("Code INSEE, ou SIREN pour un EPCI.")
    )
    parent = parent_link(_("territoire parent"), related_name="children")
    path = models.CharField(_("chemin"), max_length=255, editable=False, db_index=True)
    boundary = models.JSONField(
        _("contour (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Géométrie GeoJSON simplifiée (Polygon ou MultiPolygon), en WGS 84."),
    )
    center_latitude = models.FloatField(_("latitude du centre"), null=True, blank=True)
    center_longitude = models.FloatField(_("longitude du centre"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # Bounding box of the boundary, derived on save, for the coarse step of locate().
    min_latitude = models.FloatField(null=True, editable=False)
    max_latitude = models.FloatField(null=True, editable=False)
    min_longitude = models.FloatField(null=True, editable=False)
    max_longitude = models.FloatField(null=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["path", "min_latitude", "max_latitude", "min_longitude", "max_longitude"]
    )
    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["path"]
        indexes = [
            models.Index(
                fields=["min_latitude", "max_latitude", "min_longitude", "max_longitude"],
                name="territory_bbox_idx",
            )
        ]
        constraints = [
            unique_slug("territory", _("Un territoire porte déjà cet identifiant.")),
            # Codes repeat across levels (région 84 and département 84), never within one.
            models.UniqueConstraint(
                fields=["level", "code"],
                name="territory_unique_code_per_level",
                violation_error_message=_("Un territoire de ce niveau porte déjà ce code."),
            ),
            *coordinates.in_range("territory", "center_latitude", "center_longitude"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="territory_not_its_own_parent",
                violation_error_message=_("Un territoire ne peut pas être son propre parent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"

    def save(self, *args, **kwargs) -> None:
        prefix = self.parent.path if self.parent_id else ""
        self.path = f"{prefix}{self.code}/"
        if self.boundary:
            bounds = shape(self.boundary).bounds
            self.min_longitude, self.min_latitude, self.max_longitude, self.max_latitude = bounds
        else:
            self.min_longitude = self.min_latitude = self.max_longitude = self.max_latitude = None
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("territories:detail", args=[self.slug])

    @cached_property
    def _prepared_shape(self):
        return prep(shape(self.boundary)) if self.boundary else None

    def contains(self, point: Point) -> bool:
        prepared = self._prepared_shape
        return bool(prepared and prepared.covers(point))

    def contains_coordinates(self, latitude: float, longitude: float) -> bool:
        return self.contains(Point(longitude, latitude))

    def ancestors(self) -> list["Territory"]:
        """From the widest (région) down to the parent, in one query."""
        codes = self.path.strip("/").split("/")[:-1]
        paths = ["/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
        return list(Territory.objects.filter(path__in=paths).order_by("path"))
