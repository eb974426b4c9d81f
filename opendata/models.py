"""What the imports remember (which record of which source became which actor), and the
citable releases of the data."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tips_map.models import DataVersion


class ImportSystem(models.TextChoices):
    CSV = "csv", _("Fichier d'acteurs (CSV)")
    GOGOCARTO = "gogocarto", _("GoGoCarto")


class ImportSource(models.Model):
    """One record of an imported file (a CSV row, a GoGoCarto element) and where it went.

    The key makes imports idempotent: the GoGoCarto element id, or the folded "Organisation -
    Service" of a CSV row. `digest` is the fingerprint of the values last published from it, so
    importing the same file again changes nothing, even after a moderator edited the card;
    `pending_digest` is the one last sent to moderation with `contribution`.
    """

    system = models.CharField(_("source"), max_length=20, choices=ImportSystem.choices)
    key = models.CharField(_("clé dans la source"), max_length=300)
    label = models.CharField(_("nom dans la source"), max_length=300, blank=True)
    actor = models.ForeignKey(
        "actors.Actor",
        verbose_name=_("acteur"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="import_sources",
    )
    contribution = models.ForeignKey(
        "contributions.Contribution",
        verbose_name=_("proposition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    digest = models.CharField(max_length=64, blank=True)
    pending_digest = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(_("importé le"), auto_now=True)
    # The licence the source declared when this record was last published from it
    # (opendata/imports/licences.py), and whether this record created its actor: only then
    # may a later import change the actor's non-empty values (opendata/imports/merge.py).
    licence = models.CharField(_("licence de la source"), max_length=40, blank=True)
    created = models.BooleanField(_("acteur créé par cet import"), default=False)

    class Meta:
        verbose_name = _("source d'import")
        verbose_name_plural = _("sources d'import")
        constraints = [
            models.UniqueConstraint(fields=["system", "key"], name="import_source_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.system}:{self.key}"


# --- Citable releases (opendata/releases.py) -------------------------------------------------

# "2027.1": the year, a dot, the number of the release in that year.
VERSION_PATTERN = r"[0-9]{4}\.[1-9][0-9]{0,2}"


class Release(models.Model):
    """A published version of the data, frozen: its files (ReleaseFile), the API's records
    (ReleaseRecord, also the snapshot the next changelog is computed from) and the changelog
    against `previous`. Never changed once published, except `doi` when one is registered."""

    version = models.CharField(_("version"), max_length=12)
    title = models.CharField(_("titre"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    published_at = models.DateTimeField(_("publiée le"))
    # The data's own date (the latest actor or relation change) and version when frozen.
    data_date = models.DateTimeField(_("date des données"))
    data_version = models.CharField(max_length=80)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("version précédente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publiée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_count = models.PositiveIntegerField(_("acteurs"), default=0)
    relation_count = models.PositiveIntegerField(_("relations"), default=0)
    # {"actors": {"added": n, "removed": n, "changed": n}, "relations": {…}}, or None for the
    # first release; the lists themselves are in the frozen changelog.json.
    changelog_counts = models.JSONField(null=True, blank=True)
    doi = models.CharField(
        _("DOI"),
        max_length=200,
        blank=True,
        help_text=_(
            "Une fois enregistré auprès de DataCite, par exemple 10.12345/tips-map.2027.1."
        ),
    )

    class Meta:
        verbose_name = _("version publiée")
        verbose_name_plural = _("versions publiées")
        ordering = ["-published_at", "-pk"]
        constraints = [
            # Two moderators publishing one label at once: the second is refused here.
            models.UniqueConstraint(fields=["version"], name="release_unique_version"),
        ]

    def __str__(self) -> str:
        return self.version

    def get_absolute_url(self) -> str:
        return reverse("opendata:release", args=[self.version])

    @classmethod
    def current(cls) -> "Release | None":
        """The release whose data is the current data (no published change since), or None:
        the current data is "non publiée". Only the latest release can be (data versions
        never repeat). Two queries."""
        latest = cls.objects.first()
        return latest if latest and latest.is_current() else None

    def is_current(self) -> bool:
        """No published change since this release (one query)."""
        return self.data_version == DataVersion.key()


class ReleaseFile(models.Model):
    """One frozen file of a release, kept in the database so that every app server sharing it
    serves the same bytes forever: gzip-compressed when that is smaller (always, for text)."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="files")
    key = models.CharField(max_length=40)  # an export's key, or "changelog"
    path = models.CharField(max_length=100)  # under /donnees/versions/<version>/
    filename = models.CharField(max_length=200)  # with the version, for the download
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    gzipped = models.BooleanField(default=False)
    sha256 = models.CharField(max_length=64)  # of the file itself, uncompressed
    size = models.PositiveBigIntegerField()  # uncompressed
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["release", "path"], name="release_file_unique_path")
        ]

    def __str__(self) -> str:
        return self.filename


class RecordKind(models.TextChoices):
    ACTOR = "actor", _("acteur")
    RELATION = "relation", _("relation")
    TERRITORY = "territory", _("territoire")


class ReleaseRecord(models.Model):
    """One record of the API as it was in a release (its JSON, without the addresses, which
    follow the request's host): what ?version= pages through, and the snapshot the next
    release's changelog compares with."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(max_length=10, choices=RecordKind.choices)
    object_id = models.BigIntegerField()  # the published row's id
    key = models.CharField(max_length=300)  # the API's identifier: slug, or relation id
    position = models.PositiveIntegerField()  # the live API's default order
    data = models.JSONField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "kind", "key"], name="release_record_unique_key"
            )
        ]
        indexes = [
            # The pages of ?version=: one release, one kind, in order.
            models.Index(fields=["release", "kind", "position"], name="release_record_page"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"
