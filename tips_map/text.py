"""Text folding shared by search and duplicate detection.

Search must ignore case and accents ("metropole" finds "Métropole") identically on SQLite and
PostgreSQL; neither offers that portably, so we store a folded copy and fold the query the same way.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip accents and ligatures, collapse spaces: "Œuvre  Élue" -> "oeuvre elue"."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()
