"""A register's blank template: its headers, and in an .xlsx a second sheet explaining each
column."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from .cells import YES
from .files import INSTRUCTIONS_SHEET
from .resources import TenantResource
from .widgets import CodeWidget

# How many rows of the template have their digit cells formatted as text. A column's style
# alone is not enough: Excel and WPS apply it to what is typed, but a value pasted or written
# by another program takes the format of the cell, and a cell of its own comes with none.
TEXT_ROWS = 500


def text_columns_note() -> str:
    return _(
        "The cells of this column are formatted as text, so that every digit of an ID number "
        "or a mobile is kept. Paste values only (Paste Special → Values) into them."
    )


def blank_template(resource: TenantResource, file_format: str) -> bytes:
    """A register's blank template: its headers only; an .xlsx has a second sheet explaining
    each column. The digit columns (mobile, ID number) are text, column and cells alike, and say
    so in a note on their header and on the explanations sheet."""
    columns = resource.template_columns()
    headers = [c.column_name for c in columns]
    if file_format == "csv":
        out = io.StringIO()
        csv.writer(out).writerow(headers)
        # The BOM lets Excel on a Chinese system open the file as UTF-8.
        return out.getvalue().encode("utf-8-sig")
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = resource.sheet_title or "Sheet1"
    sheet.append(headers)
    for index, column in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="B71C1C" if column.required else None)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(12, 2 * len(column.column_name) + 4)
        if isinstance(column.widget, CodeWidget):
            # Text, so that Excel keeps every digit of an ID number typed into the column.
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, TEXT_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
            cell.comment = Comment(text_columns_note(), "")
            cell.comment.width, cell.comment.height = 300, 100
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(INSTRUCTIONS_SHEET)
    notes.append(["列名", "必填", "说明"])
    for column in columns:
        text = column.describe()
        if isinstance(column.widget, CodeWidget):
            # No space after a Chinese sentence; one after an English one.
            separator = "" if not text or text.endswith(("。", "）")) else " "
            text = f"{text}{separator}{text_columns_note()}"
        notes.append([column.column_name, YES if column.required else "", text])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 100
    for cell in notes[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
