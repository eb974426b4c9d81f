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


# A word and the whitespace after it (or leading whitespace): words are compared without their
# whitespace, so that a sentence added at the end does not mark the previous last word.
WORDS = re.compile(r"\S+\s*|\s+")


def highlighted(old: str, new: str) -> tuple[SafeString, SafeString]:
    """`old` with its deleted words in <del>, `new` with its added words in <ins>; every piece
    of text escaped (format_html), whatever it holds."""
    before, after = WORDS.findall(old), WORDS.findall(new)
    matcher = SequenceMatcher(
        None, [w.strip() for w in before], [w.strip() for w in after], autojunk=False
    )
    old_parts, new_parts = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            old_parts.append(escape("".join(before[i1:i2])))
            new_parts.append(escape("".join(after[j1:j2])))
        else:
            old_parts.append(marked("{}<del>{}</del>{}", before[i1:i2]))
            new_parts.append(marked("{}<ins>{}</ins>{}", after[j1:j2]))
    return joined(old_parts), joined(new_parts)


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
