"""How a value reads to a person: the one presenter of published, proposed and historical values
(labels, not codes; names, not keys; "—" when empty), and the word-level highlights of a long
text that changed.

Values come in two shapes. A version of the history holds the model's values (a linked record as
its id); a proposal holds the published shape (`Actor.public_values`: a linked actor as its slug,
secondary types as a list of keys). `names` maps (model, id or slug) to the name shown; build it
once per page (`slug_names`, `history.related_names`) so that no value costs a query.
"""

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

from django.db import models
from django.utils import formats
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from actors.models import Actor

EMPTY = "—"


def shown_value(model_field, value, names: dict | None = None) -> str:
    """A field's value as people read it: choice labels, linked names, lists joined by ", ",
    Oui/Non, localised numbers, "—" when empty."""
    if value is None or value == "" or value == []:
        return EMPTY
    if model_field.many_to_one:
        return (names or {}).get((model_field.related_model, value)) or gettext("élément supprimé")
    if model_field.many_to_many:
        # Secondary types: keys of a model whose primary key is a choice.
        labels = dict(model_field.related_model._meta.pk.flatchoices)
        return ", ".join(str(labels.get(key, key)) for key in value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Oui") if value else gettext("Non")
    return str(formats.localize(value))


def proposed_value(field: str, value, names: dict | None = None, model=Actor) -> str:
    """A value of a proposal (or of the published values it was made against), by field name:
    `names` from `slug_names` for the parent."""
    return shown_value(model._meta.get_field(field), value, names)


def slug_names(slugs: Iterable[str]) -> dict:
    """{(Actor, slug): usual name} for the actors a proposal names by slug: one query."""
    wanted = {slug for slug in slugs if slug}
    if not wanted:
        return {}
    rows = Actor.objects.filter(slug__in=wanted).values_list("slug", "name", "short_name")
    return {(Actor, slug): short_name or name for slug, name, short_name in rows}


# Long texts (missions, descriptions) are compared word by word; short fields read old → new.
def is_highlighted(model_field, old, new) -> bool:
    return isinstance(model_field, models.TextField) and bool(old) and bool(new) and old != new


def shown_change(model_field, old, new, names: dict | None = None) -> tuple[str, str]:
    """(old, new) as shown side by side: a long text with its deleted and added words marked."""
    if is_highlighted(model_field, old, new):
        return highlighted(old, new)
    return shown_value(model_field, old, names), shown_value(model_field, new, names)


# A word, or a run of punctuation, with the whitespace after it (or leading whitespace). They are
# compared without their whitespace, so that a sentence added at the end does not mark the
# previous last word, nor a full stop the word before it.
WORDS = re.compile(r"\w+\s*|[^\w\s]+\s*|\s+")
SENTENCE_END = (".", "!", "?", "…", ";", ":")


def highlighted(old: str, new: str) -> tuple[SafeString, SafeString]:
    """`old` with its deleted words in <del>, `new` with its added words in <ins>; every piece
    of text escaped (format_html), whatever it holds."""
    before, after = WORDS.findall(old), WORDS.findall(new)
    a, b = [w.strip() for w in before], [w.strip() for w in after]
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    old_parts, new_parts = [], []
    for tag, i1, i2, j1, j2 in at_sentence_ends(opcodes, a, b):
        if tag == "equal":
            old_parts.append(escape("".join(before[i1:i2])))
            new_parts.append(escape("".join(after[j1:j2])))
        else:
            old_parts.append(marked("{}<del>{}</del>{}", before[i1:i2]))
            new_parts.append(marked("{}<ins>{}</ins>{}", after[j1:j2]))
    return joined(old_parts), joined(new_parts)


def at_sentence_ends(opcodes, a: list[str], b: list[str]) -> list[list]:
    """The opcodes, each words added or deleted slid along the same words around them (the texts
    read the same) to end a sentence when they can: "publiques. Il <ins>forme … design. Il</ins>
    anime" becomes "publiques. <ins>Il forme … design.</ins> Il anime"."""
    ops = [list(op) for op in opcodes]
    for n, op in enumerate(ops):
        if op[0] not in ("insert", "delete"):
            continue
        # Between two runs of the same words (opcodes alternate: equal, change, equal).
        if not 0 < n < len(ops) - 1:
            continue
        before, after = ops[n - 1], ops[n + 1]
        words, column = (b, 3) if op[0] == "insert" else (a, 1)
        low, start, end, high = before[column], op[column], op[column + 1], after[column + 1]
        shift = sentence_shift(words, start, end, low, high)
        if shift:
            op[1:] = [index + shift for index in op[1:]]
            before[2] += shift
            before[4] += shift
            after[1] += shift
            after[3] += shift
    return ops


def sentence_shift(words: list[str], start: int, end: int, low: int, high: int) -> int:
    """How far words[start:end] may slide, within words[low:high], to end at a sentence's end:
    the nearest such shift, 0 when none."""
    shifts, step = [0], 0
    while start + step > low and words[start + step - 1] == words[end + step - 1]:
        step -= 1
        shifts.append(step)
    step = 0
    while end + step < high and words[start + step] == words[end + step]:
        step += 1
        shifts.append(step)
    ending = [shift for shift in shifts if words[end + shift - 1].endswith(SENTENCE_END)]
    return min(ending, key=abs) if ending else 0


def marked(html: str, words: list[str]) -> SafeString:
    """The words inside the tag, the whitespace around them outside it."""
    text = "".join(words)
    core = text.strip()
    if not core:
        return escape(text)
    start = text.index(core)
    return format_html(html, text[:start], core, text[start + len(core) :])


def joined(parts: list) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))
