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
# Control characters refused in an imported cell (a pasted null byte, a bell, a delete …): they
# are invisible in the sheet, and a register that holds one breaks every later export.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Column widths of an exported sheet, in Excel's units (about one Latin character each).
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 8, 60


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


def invisible_free(text: str) -> str:
    """Text without its format characters (a byte-order mark, a zero-width space): a header
    pasted from a web page or read from a file with a BOM looks the same and is the same."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def name_key(value) -> str:
    """What two spellings of one name have in common: full-width forms folded, no spaces, no
    invisible format characters.

    Chinese lists often pad two-character names ("张  伟"); the register holds "张伟".
    """
    text = invisible_free(unicodedata.normalize("NFKC", cell_text(value)))
    return re.sub(r"\s+", "", text).casefold()


def control_character(value) -> str | None:
    """The first control character of a text cell, written as U+0000, or None."""
    if not isinstance(value, str):
        return None
    match = CONTROL_CHARACTERS.search(value)
    return f"U+{ord(match.group()):04X}" if match else None


def display_width(value) -> int:
    """How many Latin characters' room a cell's text takes: a Chinese character takes two."""
    text = cell_text(value)
    lines = text.splitlines() or [""]
    return max(
        sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines
    )


def column_widths(rows) -> list[float]:
    """The width of each column of ``rows`` (the header row included): room for its longest
    value and a little margin, between ``MIN_COLUMN_WIDTH`` and ``MAX_COLUMN_WIDTH``."""
    widths: list[int] = []
    for row in rows:
        for index, value in enumerate(row):
            width = display_width(value)
            if index < len(widths):
                widths[index] = max(widths[index], width)
            else:
                widths.append(width)
    return [min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, w + 2)) for w in widths]


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
