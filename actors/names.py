"""Which actor a person means by the name they type (the partner and parent fields).

People name actors as the map shows them: "Archipel", "Dre'Lab", an acronym, rarely the full
official name. A name designates the actors whose full name, short name, acronym or slug has the
same key: folded (case and accents ignored, see tips_map.text.fold), letters and digits only, so
"dre lab" is "Dre'Lab". The label a person is shown ("Archipel — Cellule publique d'innovation,
Lyon") designates its actor too, so a candidate listed in an error can be typed back.

The index holds a few columns of every published actor (a regional map: a few hundred), read in
one query: resolving a name or choosing what a suggestion fills costs no query per candidate.
Proposals are not actors until validated, so they are never matched.
"""

import re
from collections import defaultdict
from difflib import SequenceMatcher

from tips_map.text import fold

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(text: str) -> str:
    """ "Dre'Lab", "dre lab", "DRE-LAB" -> "drelab"."""
    return _NOT_ALNUM.sub("", fold(text or ""))


def described(display_name: str, type_label: str, commune: str) -> str:
    """How a candidate is told apart: "Archipel — Cellule publique d'innovation, Lyon"."""
    details = ", ".join(filter(None, [str(type_label), commune]))
    return f"{display_name} — {details}" if details else display_name


def resemblance(folded: str, names: set[str], nearby: bool = False) -> float:
    """How much a folded name looks like one of `names` (folded too): 1 for the same name or
    one inside the other, difflib's ratio for a close name (0.8, or 0.6 when `nearby`), else 0.
    The rule of ActorQuerySet.similar_to, and of the rows of one import file between them."""
    if any(folded == n or (len(n) >= 4 and (n in folded or folded in n)) for n in names):
        return 1.0
    ratio = max((SequenceMatcher(None, folded, n).ratio() for n in names), default=0.0)
    return ratio if ratio >= 0.8 or (nearby and ratio >= 0.6) else 0.0


def close_by(latitude, longitude, other_latitude, other_longitude) -> bool:
    """Two positions a few kilometres apart at most (both known)."""
    if latitude is None or other_latitude is None:
        return False
    return abs(other_latitude - latitude) < 0.05 and abs(other_longitude - longitude) < 0.07


class NameIndex:
    """The names of actors, by key. Built by ActorQuerySet.name_index()."""

    FIELDS = ("pk", "slug", "name", "short_name", "acronym", "type", "commune_name")

    def __init__(self, rows, type_labels: dict):
        self._by_key = defaultdict(set)
        self._full = defaultdict(set)  # the keys of full names and slugs: a complete designation
        self._rows = {}
        for pk, slug, name, short_name, acronym, actor_type, commune in rows:
            display = short_name or name
            label = described(display, type_labels.get(actor_type, ""), commune)
            self._rows[pk] = {"slug": slug, "name": name, "display": display, "label": label}
            for text in (slug, name, short_name, acronym, label):
                if key := name_key(text):
                    self._by_key[key].add(pk)
            for text in (slug, name):
                self._full[name_key(text)].add(pk)

    def named(self, text: str) -> list:
        """The primary keys of the actors `text` designates, by name; one when unambiguous.
        When several answer, the one whose full name or slug it is wins (so the full name always
        designates its actor); otherwise all of them, by their usual name."""
        key = name_key(text)
        found = self._by_key.get(key, set()) if key else set()
        if len(found) > 1:
            complete = found & self._full.get(key, set())
            if len(complete) == 1:
                return list(complete)
        return sorted(found, key=lambda pk: (fold(self._rows[pk]["display"]), pk))

    def label(self, pk) -> str:
        return self._rows[pk]["label"]

    def designation(self, pk) -> str:
        """What a suggestion fills the field with: the shortest name people know that designates
        this actor alone (its usual name, else its label, its full name, its slug)."""
        row = self._rows[pk]
        for text in (row["display"], row["label"], row["name"]):
            if self.named(text) == [pk]:
                return text
        return row["slug"]
