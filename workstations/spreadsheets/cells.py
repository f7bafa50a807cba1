"""What a spreadsheet cell holds, read and written safely.

- ``neutralise_formula``: text a spreadsheet would run as a formula (OWASP, "CSV injection")
  gets a leading apostrophe; django-import-export's own escaping only strips a leading "=".
- ``safe_cell``: an exported cell, formula-safe and without the control characters an .xlsx
  cell cannot hold (so that no export fails on a pasted control character).
- ``cell_text`` and ``name_key``: a cell as a clerk meant it, and what two spellings of one name
  have in common.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

# A cell starting with one of these is run as a formula by Excel, WPS or LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Separators a clerk uses between several names in one cell.
LIST_SEPARATORS = re.compile(r"[;；、,，/\n]+")
# Excel keeps 15 significant digits: a longer number typed into a number cell is already wrong.
EXCEL_EXACT_DIGITS = 15
YES, NO = "是", "否"
# Control characters an .xlsx cell cannot hold (those of openpyxl's ILLEGAL_CHARACTERS_RE; tab,
# line feed and carriage return are allowed).
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise_formula(value):
    """Prefix text a spreadsheet would run as a formula with a single quote (OWASP advice).

    Only text is touched: a real number (even a negative one) or a date stays what it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_cell(value):
    """An exported cell that no spreadsheet runs as a formula and every format can hold: text
    loses its illegal control characters (replaced by U+FFFD) and is neutralised."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS.sub("\N{REPLACEMENT CHARACTER}", value)
    return neutralise_formula(value)


def cell_text(value) -> str:
    """A cell as trimmed text: whole numbers without ".0", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime.datetime):
        value = value.date() if not (value.hour or value.minute or value.second) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def name_key(value) -> str:
    """What two spellings of one name have in common: full-width forms folded, no spaces.

    Chinese lists often pad two-character names ("张  伟"); the register holds "张伟".
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(value))).casefold()


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
