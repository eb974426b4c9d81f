"""English is complete: every French string of the interface has its translation."""

from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_string_is_translated_to_english():
    catalogue = polib.pofile(str(CATALOGUE))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_placeholders_survive_translation():
    for entry in polib.pofile(str(CATALOGUE)):
        for placeholder in ("%(lines)s", "%(date)s", "%(total)s"):
            if placeholder in entry.msgid:
                assert placeholder in (entry.msgstr or entry.msgstr_plural[0]), entry.msgid
