"""Where a published fact comes from: the base of every record the public reads.

Actors and relations both cite their sources (the report's lines, an interview, a website, a
contribution, an import) and the day they were last checked. It sits here, below the data apps,
so that none of them has to import another for it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvenanceKind(models.TextChoices):
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
