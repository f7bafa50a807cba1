"""Reading an uploaded .xlsx (openpyxl, which parses through defusedxml) or .csv (UTF-8 or
GB18030, each with or without its byte-order mark, or GBK) into a dataset, with a message a
clerk understands for a file that is not a sheet, is empty or is too long; and the formats the
admin offers (the .xlsx written with columns wide enough for Chinese).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Sequence

import tablib
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.formats import base_formats

from .cells import cell_text, invisible_free, is_blank

logger = logging.getLogger(__name__)

# The sheet of the blank template that explains the columns; never read as data.
INSTRUCTIONS_SHEET = "说明"
XLSX_MAGIC = b"PK\x03\x04"
NOT_XLSX = gettext_lazy(
    "This file is not a valid .xlsx spreadsheet. Open it in Excel or WPS, save it as .xlsx "
    "(or .csv) and upload it again."
)
NO_ROWS = gettext_lazy("The file has column headers but no rows to import.")
# The byte-order mark of GB18030 (U+FEFF encoded in it), which WPS may write before a .csv.
GB18030_BOM = b"\x84\x31\x95\x33"
# The encodings a .csv is read in, tried in turn: UTF-8 (with or without its BOM), then
# GB18030, which includes GBK and GB2312 (what Excel on a Chinese system saves by default).
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 20_000)


class SpreadsheetError(Exception):
    """A file or sheet that cannot be imported; the message is written for the clerk."""


def _dataset_from_rows(rows: Iterable[Sequence]) -> tablib.Dataset:
    """Build a dataset from a sheet's rows: the first non-blank row holds the headers.

    Blank rows are left out, so ``dataset.sheet_rows`` keeps, for every data row, the row number
    the spreadsheet shows, for the error messages.
    """
    rows = iter(rows)
    header, header_row = None, 0
    for number, raw in enumerate(rows, 1):
        if any(not is_blank(v) for v in raw):
            header, header_row = list(raw), number
            break
    if header is None:
        raise SpreadsheetError(_("The file is empty: it has neither column headers nor rows."))
    # A header typed or pasted with an invisible character (a BOM, a zero-width space) would
    # be refused as unknown while it reads the same as the expected one.
    headers = [invisible_free(cell_text(v)) for v in header]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    if "" in headers:
        column = headers.index("") + 1
        raise SpreadsheetError(
            _("Column %(column)s of the header row has no name.") % {"column": column}
        )
    dataset = tablib.Dataset(headers=headers)
    sheet_rows = []
    limit = max_rows()
    for number, raw in enumerate(rows, header_row + 1):
        values = list(raw)
        if any(not is_blank(v) for v in values[width:]):
            raise SpreadsheetError(
                _("Row %(row)s has a value in a column without a header.") % {"row": number}
            )
        values = values[:width] + [None] * (width - len(values))
        if all(is_blank(v) for v in values):
            continue
        if len(sheet_rows) >= limit:
            raise SpreadsheetError(
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": limit}
            )
        dataset.append([v.strip() if isinstance(v, str) else v for v in values])
        sheet_rows.append(number)
    if not sheet_rows:
        raise SpreadsheetError(NO_ROWS)
    dataset.sheet_rows = sheet_rows
    return dataset


def read_xlsx(data: bytes) -> tablib.Dataset:
    """The first sheet of an .xlsx workbook (other than the template's explanations)."""
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        # openpyxl parses through defusedxml only when it is installed; without it, refuse.
        raise ImproperlyConfigured("defusedxml must be installed to read .xlsx files safely.")
    not_xlsx = str(NOT_XLSX)
    if not data.startswith(XLSX_MAGIC):
        raise SpreadsheetError(not_xlsx)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a broken zip or broken XML inside it
        logger.info("Unreadable .xlsx upload: %r", error)
        raise SpreadsheetError(not_xlsx) from error
    try:
        sheets = [s for s in book.worksheets if s.title != INSTRUCTIONS_SHEET] or book.worksheets
        if not sheets or not hasattr(sheets[0], "iter_rows"):
            raise SpreadsheetError(_("The workbook has no worksheet."))
        return _dataset_from_rows(sheets[0].iter_rows(values_only=True))
    except SpreadsheetError:
        raise
    except Exception as error:
        logger.info("Unreadable .xlsx upload: %r", error)
        raise SpreadsheetError(not_xlsx) from error
    finally:
        book.close()


def decode_csv(data: bytes) -> str:
    """The text of a .csv file in UTF-8 or GB18030 (GBK included), its byte-order mark, if
    any, left out."""
    if data.startswith(GB18030_BOM):
        data = data[len(GB18030_BOM) :]
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(
        _(
            "This .csv file could not be read as text in UTF-8, GB18030 or GBK. Open it in "
            "Excel or WPS, save it as .xlsx (or as CSV UTF-8) and upload it again."
        )
    )


def read_csv(data: bytes | str) -> tablib.Dataset:
    """A .csv file in UTF-8 or GB18030, with or without the byte-order mark, or GBK, as Excel
    or WPS on a Chinese system saves it.

    A null byte here and there is left to the import, which names its row and column; a file
    full of them is not text (a workbook renamed, or UTF-16).
    """
    if isinstance(data, bytes):
        if data.startswith(XLSX_MAGIC):
            raise SpreadsheetError(
                _("This is an .xlsx workbook, not a .csv file: upload it with the .xlsx ending.")
            )
        data = decode_csv(data)
    if data.count("\x00") * 10 > len(data):
        raise SpreadsheetError(_("This file is not a .csv text file."))
    try:
        return _dataset_from_rows(csv.reader(io.StringIO(data, newline="")))
    except csv.Error as error:
        raise SpreadsheetError(
            _("This .csv file could not be read: %(error)s") % {"error": error}
        ) from error


def read_spreadsheet(data: bytes, file_name: str) -> tablib.Dataset:
    """Read an uploaded .xlsx or .csv file by its ending."""
    if file_name.lower().endswith(".xlsx"):
        return read_xlsx(data)
    if file_name.lower().endswith(".csv"):
        return read_csv(data)
    raise SpreadsheetError(_("Upload an .xlsx or .csv file."))


# The formats read uploads our way (``create_dataset``, the library's hook for a format); they
# write with the library's own export_data: the resource has made every cell safe already
# (``TenantResource.export_field``), so IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT stays off.


class XLSX(base_formats.XLSX):
    """.xlsx read safely: the first data sheet, through defusedxml, with clear errors; written
    with columns wide enough for Chinese (tablib measures a Chinese character as one Latin)."""

    def create_dataset(self, in_stream):
        return read_xlsx(in_stream)

    def export_data(self, dataset, **kwargs):
        import openpyxl
        from openpyxl.styles import Font

        from .streaming import set_column_widths

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = dataset.title or "Sheet1"
        table = [list(dataset.headers or []), *(list(row) for row in dataset)]
        for row in table:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        set_column_widths(sheet, table)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


class CSV(base_formats.CSV):
    """.csv read as UTF-8, GB18030 or GBK, with clear errors."""

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)


FORMATS = [XLSX, CSV]
