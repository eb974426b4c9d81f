"""What a browser has proven about its contributor: an email address they can read.

Two ways to prove it, one result. Following a proposal's confirmation link, or a one-time
sign-in link asked for on "Mes propositions", sets a signed cookie holding the address for 30
days. From that browser, a later proposal with the same address needs no new confirmation, and
"Mes propositions" lists every proposal of that address. A cookie is only ever read through
`proven_email`: signed with a salt of its own and dated, a forged, altered or expired one is
worth nothing, and it vouches for its own address only (`proves`).

A sign-in link is signed, valid one hour, and used once: it names a random key kept in the
shared cache (every app process sees it) that its first use deletes. A lost cache makes links
fail, never work twice.
"""

import secrets

from django.core import signing
from django.core.cache import cache

COOKIE = "tips_adresse_confirmee"
COOKIE_SALT = "contributions.confirmed-email"
COOKIE_MAX_AGE = 30 * 24 * 3600  # seconds: thirty days

LINK_SALT = "contributions.signin-link"
LINK_MAX_AGE = 3600  # seconds: a sign-in link works for one hour
LINK_KEY = "contributions-signin-{}"


def normalised(email: str) -> str:
    return (email or "").strip().lower()


def remember(request, response, email: str) -> None:
    """Let this browser vouch for `email` for thirty days."""
    response.set_signed_cookie(
        COOKIE,
        normalised(email),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def forget(response) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def proven_email(request) -> str:
    """The address this browser's cookie proves, or "" (none, forged, altered or expired)."""
    value = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    return normalised(value)


def proves(request, email: str) -> bool:
    """Whether this browser proved `email` itself (another address proves nothing)."""
    proven = proven_email(request)
    return bool(proven) and proven == normalised(email)


def link_token(email: str) -> str:
    """A new one-time sign-in token for `email`."""
    key = secrets.token_urlsafe(16)
    cache.set(LINK_KEY.format(key), normalised(email), LINK_MAX_AGE)
    return signing.dumps({"email": normalised(email), "key": key}, salt=LINK_SALT)


def use_link(token: str) -> str:
    """The address a sign-in token proves, used up by this call; "" when it is forged, expired
    or already used."""
    try:
        value = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
        email, key = value["email"], value["key"]
    except (signing.BadSignature, KeyError, TypeError):  # BadSignature includes expiry
        return ""
    # delete() says whether the key was there: of two uses at once, one only finds it.
    if cache.get(LINK_KEY.format(key)) != email or not cache.delete(LINK_KEY.format(key)):
        return ""
    return email
