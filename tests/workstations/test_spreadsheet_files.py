"""Reading uploaded files: .xlsx parsed safely, .csv in UTF-8 or GBK, clear refusals."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from tests.spreadsheets import csv_bytes, xlsx_bytes
from workstations.spreadsheets.files import SpreadsheetError, read_csv, read_spreadsheet, read_xlsx

pytestmark = pytest.mark.usefixtures("in_english")


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_xlsx_rows_keep_the_spreadsheets_row_numbers():
    data = xlsx_bytes(
        [
            [None],
            ["姓名", "日期", None],
            ["甲", datetime.date(2024, 5, 1)],
            [None, None],
            ["  乙 ", None],
        ]
    )
    dataset = read_xlsx(data)
    assert dataset.headers == ["姓名", "日期"]
    assert list(dataset) == [("甲", datetime.datetime(2024, 5, 1)), ("乙", None)]
    assert dataset.sheet_rows == [3, 5]


def test_the_templates_explanations_sheet_is_not_read():
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["列名", "说明"])
    data_sheet = book.create_sheet("委员名册")
    data_sheet.append(["姓名"])
    data_sheet.append(["王芳"])
    out = io.BytesIO()
    book.save(out)
    assert read_xlsx(out.getvalue()).headers == ["姓名"]


def test_a_text_file_renamed_xlsx_is_refused_clearly():
    with pytest.raises(SpreadsheetError, match="not a valid .xlsx"):
        read_spreadsheet("姓名,手机号\n王芳,13900000000\n".encode(), "members.xlsx")


def test_a_broken_zip_named_xlsx_is_refused_clearly():
    with pytest.raises(SpreadsheetError, match="not a valid .xlsx"):
        read_xlsx(b"PK\x03\x04" + b"\x00" * 200)


def test_an_xlsx_uploaded_as_csv_is_refused_clearly():
    with pytest.raises(SpreadsheetError, match=".xlsx workbook"):
        read_spreadsheet(xlsx_bytes([["姓名"], ["王芳"]]), "members.csv")


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n,,\n"])
def test_an_empty_file_is_refused_clearly(data):
    with pytest.raises(SpreadsheetError, match="empty"):
        read_csv(data)


def test_an_empty_workbook_is_refused_clearly():
    with pytest.raises(SpreadsheetError, match="empty"):
        read_xlsx(xlsx_bytes([]))


def test_csv_in_utf8_with_bom_and_in_gbk():
    rows = [["姓名", "界别"], ["王芳", "医药卫生界"]]
    assert list(read_csv(csv_bytes(rows, "utf-8-sig"))) == [("王芳", "医药卫生界")]
    assert list(read_csv(csv_bytes(rows, "gbk"))) == [("王芳", "医药卫生界")]


def test_a_header_missing_in_the_middle_or_a_value_without_header_is_refused():
    with pytest.raises(SpreadsheetError, match="Column 2"):
        read_csv(csv_bytes([["姓名", "", "界别"], ["王芳", "", "医药卫生界"]]))
    with pytest.raises(SpreadsheetError, match="Row 2"):
        read_csv(csv_bytes([["姓名"], ["王芳", "多余"]]))


def test_a_sheet_longer_than_the_limit_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    with pytest.raises(SpreadsheetError, match="more than 3 rows"):
        read_csv(csv_bytes([["姓名"], ["甲"], ["乙"], ["丙"], ["丁"]]))
