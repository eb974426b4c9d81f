"""Names as people type them: a folded text ("saint genes") as a regular expression that
finds the stored names it stands for ("Saint-Genès"), read alike by PostgreSQL and SQLite."""

# What a folded letter stands for in a stored name: names keep their case and accents, and
# PostgreSQL's regular expressions fold neither accents nor, in the C locale, accented capitals.
LETTER_FORMS = {
    "a": "aAàÀâÂäÄáÁãÃåÅ",
    "c": "cCçÇ",
    "e": "eEéÉèÈêÊëË",
    "i": "iIîÎïÏíÍìÌ",
    "n": "nNñÑ",
    "o": "oOôÔöÖóÓòÒõÕ",
    "u": "uUùÙûÛüÜúÚ",
    "y": "yYÿŸýÝ",
}
LIGATURES = {"oe": "œŒ", "ae": "æÆ"}
# Hyphens, spaces and apostrophes are interchangeable: "saint genes" finds "Saint-Genès".
SEPARATOR_SIGNS = "- '’"
SEPARATORS = f"[{SEPARATOR_SIGNS}]+"


def name_pattern(folded: str) -> str:
    """A regular expression, read the same by PostgreSQL and Python (SQLite's REGEXP), matching
    the stored names whose folded form is `folded`: "clermont" matches "Clermont", "ecole"
    "École", "coeur" "Cœur". Other signs than letters, digits and separators are left out."""
    parts = []
    i = 0
    while i < len(folded):
        char, pair = folded[i], folded[i : i + 2]
        i += 1
        if pair in LIGATURES:
            first, second = (letter_pattern(c) for c in pair)
            parts.append(f"(?:{first}{second}|[{LIGATURES[pair]}])")
            i += 1
        elif char in SEPARATOR_SIGNS:
            if parts and parts[-1] != SEPARATORS:
                parts.append(SEPARATORS)
        elif char.isalnum():
            parts.append(letter_pattern(char))
    return "".join(parts).removesuffix(SEPARATORS)


def letter_pattern(char: str) -> str:
    forms = LETTER_FORMS.get(char) or "".join(dict.fromkeys(char + char.upper()))
    return f"[{forms}]" if len(forms) > 1 else forms
