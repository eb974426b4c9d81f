"""Text folding shared by search and duplicate detection.

Search must ignore case and accents ("metropole" finds "Métropole") identically on SQLite and
PostgreSQL; neither offers that portably, so we store a folded copy and fold the query the same way.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


# French ligatures that Unicode does not decompose: without this, "Œuvre" would lose its "Œ".
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def expand_ligatures(text: str) -> str:
    """ "Œuvre" -> "Oeuvre", "ex æquo" -> "ex aequo"."""
    return text.translate(_LIGATURES)


def fold(text: str) -> str:
    """Lower-case, strip accents and ligatures, collapse spaces: "Œuvre  Élue" -> "oeuvre elue"."""
    text = expand_ligatures(text)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()
