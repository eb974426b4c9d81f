"""What the imports remember: which record of which source became which actor."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
