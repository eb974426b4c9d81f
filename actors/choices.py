"""The actors' lists of choices: the report's typology and the fields of its actors file.

Apart from the model so that `actors.models` holds the rules; `actors.models` re-exports them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    """The legal form of the organisation, as the report's actors file names it."""

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
    """How far the actor acts: the "échelle de portée" of the report's actors file."""

    LOCAL = "local", _("Locale")
    DEPARTEMENTAL = "departemental", _("Départementale")
    REGIONAL = "regional", _("Régionale")
    NATIONAL = "national", _("Nationale")


class Lifecycle(models.TextChoices):
    """Birth, life and death of an actor (section 2.3.2 "Naissance, vie et mort des Labs")."""

    NAISSANT = "naissant", _("Naissant")
    ACTIF = "actif", _("Actif")
    DISPARU = "disparu", _("Disparu")


class LocationPrecision(models.TextChoices):
    """How exactly the coordinates place the actor: said on its card."""

    ADDRESS = "adresse", _("Adresse exacte")
    COMMUNE = "commune", _("Approximative : mairie de la commune")
    APPROXIMATE = "approximative", _("Approximative : ville")
