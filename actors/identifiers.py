"""An actor's identifiers: in the public registers (SIREN, SIRET, RNA, Wikidata) and on the web
(the canonical URI of an actor or a relation).

The registers' rules are written here once and said by the model field (`IdentifierField`):
its `to_python` reduces what a person types or pastes to the register's form ("732 829 320"
-> "732829320", "https://www.wikidata.org/wiki/Q90" -> "Q90"), its validator refuses what is
not one (python-stdnum checks the SIREN's and the SIRET's Luhn digit, La Poste's SIRET
included). Forms take the same reduction (`IdentifierField.formfield`), the import reads its
cells with `normalised`; Actor.clean adds the one rule across two fields (a SIRET belongs to
its SIREN, `mismatch`).

URIs start with settings.SITE_URL, never with the host of a request: an actor is named the
same way in a file downloaded from any address, in the API and in its card's JSON-LD.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as NumberError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

ANNUAIRE = "https://annuaire-entreprises.data.gouv.fr"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"  # Wikidata's own URI of an item
# Spaces (non-breaking and thin ones too, as copied from a web page) and dots between digits.
SEPARATORS = re.compile(r"[\s.\u00a0\u202f]+")
WIKIDATA_URL = re.compile(
    r"^(?:https?://)?(?:(?:www|m)\.)?wikidata\.org/(?:wiki|entity)/(?:Special:EntityPage/)?"
    r"(Q\d+)/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def digits(value: str) -> str:
    return SEPARATORS.sub("", value)


def wikidata_item(value: str) -> str:
    value = value.strip()
    found = WIKIDATA_URL.match(value)
    return (found.group(1) if found else value).upper()


def rna_number(value: str) -> str:
    return SEPARATORS.sub("", value).upper()


def luhn_checked(module) -> Callable[[str], bool]:
    def valid(number: str) -> bool:
        try:
            module.validate(number)
        except NumberError:
            return False
        return True

    return valid


@dataclass(frozen=True)
class Scheme:
    """A register: how its numbers are written and checked, and where each is public."""

    key: str  # the actor's field
    label: str  # the register's name, the same in every language
    pattern: str  # what a number looks like (the CSV's Table Schema says it too)
    example: str
    normalise: Callable[[str], str]
    message: str
    help_text: str
    page: Callable[[str], str]  # the register's public page of a number
    checksum: Callable[[str], bool] = lambda number: True

    @property
    def max_length(self) -> int:
        return len(self.example)

    def is_valid(self, value: str) -> bool:
        return bool(re.fullmatch(self.pattern, value)) and self.checksum(value)


SCHEMES = {
    scheme.key: scheme
    for scheme in [
        Scheme(
            "siren",
            "SIREN",
            r"^[0-9]{9}$",
            "732829320",
            digits,
            _("Ce numéro SIREN n'est pas valide : vérifiez les 9 chiffres."),
            _("9 chiffres, par exemple 732 829 320."),
            lambda number: f"{ANNUAIRE}/entreprise/{number}",
            luhn_checked(stdnum_siren),
        ),
        Scheme(
            "siret",
            "SIRET",
            r"^[0-9]{14}$",
            "73282932000074",
            digits,
            _("Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres."),
            _("14 chiffres : le SIREN suivi du numéro de l'établissement."),
            lambda number: f"{ANNUAIRE}/etablissement/{number}",
            luhn_checked(stdnum_siret),
        ),
        # The register of associations: W, the registry's code (2A, 9R… for some), 7 digits.
        Scheme(
            "rna",
            "RNA",
            r"^W[0-9][0-9A-Z][0-9]{7}$",
            "W632001234",
            rna_number,
            _(
                "Ce numéro RNA n'est pas valide : un W suivi de 9 caractères, par exemple "
                "W632001234."
            ),
            _("Pour une association : W suivi de 9 caractères."),
            lambda number: f"{ANNUAIRE}/rechercher?terme={number}",
        ),
        Scheme(
            "wikidata",
            "Wikidata",
            r"^Q[1-9][0-9]*$",
            "Q123456789012",
            wikidata_item,
            _(
                "Cet identifiant Wikidata n'est pas valide : un Q suivi de chiffres (par exemple "
                "Q90), ou l'adresse de la page de l'élément."
            ),
            _("Q suivi de chiffres, ou l'adresse de la page de l'élément sur wikidata.org."),
            lambda item: f"https://www.wikidata.org/wiki/{item}",
        ),
    ]
}
MISMATCH = _(
    "Ce SIRET n'est pas celui d'un établissement du SIREN indiqué : ses 9 premiers "
    "chiffres doivent être le SIREN."
)


def normalised(key: str, value) -> str:
    """A typed or pasted identifier in its register's form ("" stays "")."""
    return SCHEMES[key].normalise(str(value or ""))


def problem(key: str, value: str) -> str:
    """The French message for a wrong identifier, "" when it is right or empty."""
    scheme = SCHEMES[key]
    value = normalised(key, value)
    return "" if not value or scheme.is_valid(value) else str(scheme.message)


def mismatch(siren: str, siret: str) -> bool:
    """Whether a valid SIRET is not an establishment of the valid SIREN given with it."""
    siren_ok, siret_ok = SCHEMES["siren"].is_valid(siren), SCHEMES["siret"].is_valid(siret)
    return siren_ok and siret_ok and siret[:9] != siren


def register_page(key: str, value: str) -> str:
    return SCHEMES[key].page(value) if value else ""


def wikidata_uri(item: str) -> str:
    return WIKIDATA_ENTITY + item if item else ""


class IdentifierFormField(forms.CharField):
    def __init__(self, *, scheme: str, **kwargs):
        self.scheme = scheme
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalised(self.scheme, super().to_python(value))


class IdentifierField(models.CharField):
    """An optional identifier in a register (`scheme`, a key of SCHEMES), kept normalised."""

    def __init__(self, verbose_name=None, *, scheme: str, **kwargs):
        self.scheme = scheme
        kwargs.setdefault("blank", True)
        kwargs.setdefault("help_text", SCHEMES[scheme].help_text)
        verbose_name = verbose_name or SCHEMES[scheme].label
        kwargs["max_length"] = SCHEMES[scheme].max_length
        self.default_validators = [self.validate_number]
        super().__init__(verbose_name, **kwargs)

    def validate_number(self, value: str) -> None:
        message = problem(self.scheme, value)
        if message:
            raise ValidationError(message, code="invalid")

    def to_python(self, value):
        value = super().to_python(value)
        return normalised(self.scheme, value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        # No maxlength: a person may type the separators, or paste a whole Wikidata address.
        options = {"form_class": IdentifierFormField, "scheme": self.scheme, "max_length": None}
        return super().formfield(**{**options, **kwargs})

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        # Only the scheme: its length, name and help are the scheme's (no migration to edit them).
        kwargs["scheme"] = self.scheme
        for option in ("max_length", "blank", "help_text", "verbose_name"):
            kwargs.pop(option, None)
        return name, path, args, kwargs


IDENTIFIER_FIELDS = list(SCHEMES)


def identifier_errors(actor) -> dict:
    """Actor.clean's rule across two fields: a SIRET belongs to its SIREN."""
    return {"siret": MISMATCH} if mismatch(actor.siren, actor.siret) else {}


# --- URIs ------------------------------------------------------------------------------------


def absolute(path: str) -> str:
    """A path of the site as an absolute URL, on settings.SITE_URL."""
    return settings.SITE_URL + path


def actor_uri(slug: str) -> str:
    """An actor's URI: its card's address (a merged actor's keeps leading to the one it went
    into)."""
    return absolute(reverse("actors:detail", args=[slug]))


def relation_uri(pk: int) -> str:
    """A relation's URI: its record in the API, public JSON (and JSON-LD when asked)."""
    return absolute(reverse("api:relation-detail", args=[pk]))


def canonical_uri(record) -> str:
    """The URI of a published actor (by its slug) or relation (by its id)."""
    return actor_uri(record.slug) if hasattr(record, "slug") else relation_uri(record.pk)


def links(actor) -> list[dict]:
    """The actor's identifiers as its card shows them: the register, the number, its page."""
    return [
        {"label": scheme.label, "value": value, "url": scheme.page(value)}
        for key, scheme in SCHEMES.items()
        if (value := getattr(actor, key))
    ]
