"""Deciding a proposal: the same steps and messages from the moderation page and the API."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import emails
from .models import AlreadyDecided

REFUSAL_NEEDS_MESSAGE = _("Expliquez le refus au contributeur : le message est obligatoire.")
ALREADY_DECIDED = _("Un autre modérateur a déjà traité cette proposition : rien n'a été modifié.")
OWN_PROPOSAL = _("Vous êtes l'auteur de cette proposition : un autre modérateur doit la traiter.")
CANNOT_APPLY = _("La proposition ne peut pas être appliquée telle quelle : %s")


class NotDecided(Exception):
    """Why the decision was not recorded: `reason` is "message" (a refusal needs one),
    "decided" (someone decided first), "own" (the moderator proposed it) or "invalid" (the
    values break a rule now); `message` says it to the moderator."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def decide(
    contribution,
    moderator,
    *,
    validate: bool,
    message: str = "",
    edited: dict | None = None,
    site_url: str | None = None,
) -> None:
    """Validate (publishing every change at once) or refuse, then tell the contributor."""
    message = message.strip()
    if not validate and not message:
        raise NotDecided("message", str(REFUSAL_NEEDS_MESSAGE))
    try:
        contribution.decide(moderator, validate=validate, message=message, edited=edited)
    except AlreadyDecided:
        raise NotDecided("decided", str(ALREADY_DECIDED)) from None
    except PermissionError:
        raise NotDecided("own", str(OWN_PROPOSAL)) from None
    except ValidationError as error:
        raise NotDecided("invalid", str(CANNOT_APPLY) % " ".join(error.messages)) from None
    emails.send_decision(contribution, site_url)
