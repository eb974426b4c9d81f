"""How many proposals one sender may make: per IP address and per email address, counted in
the shared cache so that every app process sees the same counts."""

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

TOO_MANY = _(
    "Vous avez envoyé beaucoup de propositions en peu de temps. Pour écarter les envois "
    "automatiques, la carte en limite le nombre par heure : réessayez un peu plus tard."
)
RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def too_many(request, email: str, what: str = "contributions") -> bool:
    """Counts this proposal, and tells whether the sender is over either limit. `what` names
    the counters: "signin" counts the sign-in links asked for, apart from the proposals."""
    by_ip = is_ratelimited(
        request,
        group=f"{what}-ip",
        key="ip",
        rate=settings.TIPS_CONTRIBUTIONS_PER_IP,
        increment=True,
    )
    by_email = bool(email) and is_ratelimited(
        request,
        group=f"{what}-email",
        key=lambda group, req: email.lower(),
        rate=settings.TIPS_CONTRIBUTIONS_PER_EMAIL,
        increment=True,
    )
    return by_ip or by_email


def period(rate: str) -> int:
    """Seconds of a django-ratelimit rate: "20/h" -> 3600, "5/10m" -> 600."""
    match = re.fullmatch(r"\s*\d+\s*/\s*(\d*)\s*([smhd])\w*\s*", str(rate))
    if not match:
        return 3600
    return int(match[1] or 1) * RATE_UNITS[match[2]]


def retry_after() -> int:
    """Seconds after which a sender over a limit may try again (the API's Retry-After)."""
    return max(
        period(settings.TIPS_CONTRIBUTIONS_PER_IP), period(settings.TIPS_CONTRIBUTIONS_PER_EMAIL)
    )
