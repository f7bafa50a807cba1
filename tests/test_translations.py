"""The Chinese translation is complete: every message of the catalogue has a translation that
is not marked fuzzy (``make messages`` updates the catalogue from the code)."""

from __future__ import annotations

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"


def _entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if "msgid" in block]


def _joined(block: str, keyword: str) -> str:
    """The whole string of ``keyword`` (msgid, msgstr, msgstr[0]) over its continuation lines."""
    match = re.search(rf'^{re.escape(keyword)} "(.*)"\n?((?:".*"\n?)*)', block, re.M)
    if match is None:
        return ""
    return match.group(1) + "".join(re.findall(r'^"(.*)"', match.group(2), re.M))


def test_every_message_is_translated_and_none_is_fuzzy():
    missing = []
    for block in _entries(CATALOGUE.read_text(encoding="utf-8")):
        if block.lstrip().startswith("#~"):
            continue
        msgid = _joined(block, "msgid")
        if not msgid:
            continue  # the header
        plural = "msgid_plural" in block
        msgstr = _joined(block, "msgstr[0]" if plural else "msgstr")
        if not msgstr or re.search(r"^#,.*\bfuzzy\b", block, re.M):
            missing.append(msgid)
    assert not missing, f"untranslated or fuzzy in {CATALOGUE.name}: {missing}"
