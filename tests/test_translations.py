"""The Chinese translation is complete: every message of the catalogue has a translation that
is not marked fuzzy (``make messages`` updates the catalogue from the code)."""

from __future__ import annotations

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"


def test_every_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in {CATALOGUE.name}: {missing}"
    assert not fuzzy, f"fuzzy in {CATALOGUE.name}: {fuzzy}"
