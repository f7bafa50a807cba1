"""Full-width punctuation after Chinese: every template's text and every Chinese translation.

After a Chinese character a comma, colon, semicolon, question or exclamation mark is the
full-width one (，：；？！), and parentheses next to Chinese are full-width (（）). Half-width ones
stay where they belong: times (9:00), addresses, template code, HTML, format placeholders
(``%(name)s``, ``{0}``) and English. The scan names file:line of each hit.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# Han characters, and the CJK punctuation and full-width forms that sit among them.
CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
HALF_WIDTH = re.compile(
    rf"(?:[{CJK}][,:;?!()])"  # a mark right after Chinese
    rf"|(?:[()][{CJK}])"  # a parenthesis right before Chinese
)
# What is not text: each is blanked (its newlines kept, so that line numbers hold).
NOT_TEXT = [
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"\{%.*?%\}", re.S),
    re.compile(r"\{\{.*?\}\}", re.S),
    re.compile(r"<[^<>]*>", re.S),
]
# In a translation: placeholders and markup.
NOT_TRANSLATED_TEXT = [
    re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]"),
    re.compile(r"\{[\w.]*(?:![rsa])?(?::[^{}]*)?\}"),
    re.compile(r"<[^<>]*>"),
    re.compile(r"https?://\S+"),
]


def _blank(text: str, patterns) -> str:
    """``text`` with every match of ``patterns`` turned into a space (newlines kept)."""
    for pattern in patterns:
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    return text


def _neutral(text: str, patterns) -> str:
    """``text`` with every match of ``patterns`` turned into a neutral letter: a placeholder
    after a Chinese character is not punctuation."""
    for pattern in patterns:
        text = pattern.sub("x", text)
    return text


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def template_hits(root: Path = ROOT / "templates") -> list[str]:
    hits = []
    for path in sorted(root.rglob("*.html")):
        text = _blank(path.read_text(encoding="utf-8"), NOT_TEXT)
        for number, line in enumerate(text.splitlines(), start=1):
            for match in HALF_WIDTH.finditer(line):
                hits.append(f"{_name(path)}:{number}: {match.group(0)!r}")
    return hits


def catalogue_hits(path: Path = CATALOGUE) -> list[str]:
    hits = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        for msgstr in [entry.msgstr, *entry.msgstr_plural.values()]:
            for match in HALF_WIDTH.finditer(_neutral(msgstr, NOT_TRANSLATED_TEXT)):
                hits.append(f"{_name(path)}:{entry.linenum}: {match.group(0)!r}")
    return hits


def test_templates_use_full_width_punctuation_after_chinese():
    assert template_hits() == []


def test_the_chinese_catalogue_uses_full_width_punctuation():
    assert catalogue_hits() == []


def test_the_scan_finds_half_width_marks_and_spares_code_times_and_english(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.html").write_text(
        "<p>开放时间 9:00-17:00</p>\n"
        '{% if a %}<a href="https://example.org/?a=1,2">Hello, world: yes!</a>{% endif %}\n'
        "<p>{{ name }}: 委员</p>\n"
        "<p>请注意,明天(周六)休息</p>\n"
        "{# 注释,不扫描 #}<p>问题?</p>\n",
        encoding="utf-8",
    )
    hits = template_hits(tmp_path / "t")
    assert [h.split(":")[1] for h in hits] == ["4", "4", "4", "5"]
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "By %(who)s"\nmsgstr "由%(who)s记录"\n\n'
        'msgid "Hours: %(h)s"\nmsgstr "时间:%(h)s"\n\n'
        'msgid "%(n)s (%(m)s)"\nmsgstr "%(n)s(%(m)s)"\n',
        encoding="utf-8",
    )
    hits = catalogue_hits(po)
    assert len(hits) == 1 and hits[0].endswith("'间:'")
