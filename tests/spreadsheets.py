"""Sheets built in memory for the spreadsheet tests, read as the admin would read an upload."""

from __future__ import annotations

import csv
import io

import openpyxl

from workstations.spreadsheets.files import read_spreadsheet


def xlsx_bytes(rows: list[list], title: str = "Sheet1") -> bytes:
    """An .xlsx workbook whose first sheet holds ``rows`` (the first row: the headers)."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def sheet(rows: list[list], file_name: str = "sheet.xlsx"):
    """The dataset the admin would read from an upload of ``rows``."""
    data = csv_bytes(rows) if file_name.endswith(".csv") else xlsx_bytes(rows)
    return read_spreadsheet(data, file_name)


def problems_of(result):
    """(row, column) of every problem an import found."""
    return [(p.row, p.column) for p in result.problems()]
