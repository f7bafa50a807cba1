"""Spreadsheets as clerks make them: digit columns kept as text by the template, a .csv in
any encoding a Chinese office saves, Excel's serial dates, and invisible characters named."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from members.models import Member
from members.resources import MemberResource
from tests.spreadsheets import csv_bytes, problems_of
from workstations.models import Workstation
from workstations.resources import WorkstationResource
from workstations.spreadsheets.files import read_spreadsheet
from workstations.spreadsheets.templates import TEXT_ROWS

pytestmark = pytest.mark.django_db

TEMPLATE = "admin:members_member_import_template"
MEMBER_ROWS = [["姓名", "性别", "手机号"], ["王芳", "女", "13955510001"], ["李强", "男", ""]]


def template_sheet(client):
    response = client.get(reverse(TEMPLATE), {"format": "xlsx"})
    return openpyxl.load_workbook(io.BytesIO(response.content))


def column_letter(sheet, header):
    return next(c.column_letter for c in sheet[1] if c.value == header)


# --- The template keeps digits as text ---------------------------------------------------------


@pytest.mark.parametrize("header", ["手机号", "身份证号"])
def test_the_templates_digit_cells_are_text_in_its_first_rows(register, login, header):
    sheet = template_sheet(login(register.staff))["委员名册"]
    letter = column_letter(sheet, header)

    assert sheet.column_dimensions[letter].number_format == "@"
    for row in (2, 3, TEXT_ROWS // 2, TEXT_ROWS + 1):
        assert sheet[f"{letter}{row}"].number_format == "@"


def test_the_templates_other_cells_keep_the_general_format(register, login):
    sheet = template_sheet(login(register.staff))["委员名册"]

    assert sheet[f"{column_letter(sheet, '姓名')}2"].number_format == "General"


def test_the_templates_digit_headers_say_they_are_text(register, login):
    sheet = template_sheet(login(register.staff))["委员名册"]

    note = sheet[f"{column_letter(sheet, '身份证号')}1"].comment
    assert note is not None
    assert "文本格式" in note.text


def test_the_templates_explanations_say_the_digit_columns_are_text(register, login):
    notes = template_sheet(login(register.staff))["说明"]

    explanations = {row[0]: row[2] for row in notes.iter_rows(min_row=2, values_only=True)}
    assert "文本格式" in explanations["手机号"]
    assert "文本格式" in explanations["身份证号"]


def test_the_templates_formatted_rows_are_not_read_as_rows(register, login, run_import):
    book = template_sheet(login(register.staff))
    sheet = book["委员名册"]
    sheet["A2"], sheet[f"{column_letter(sheet, '手机号')}2"] = "王芳", "13955510001"
    out = io.BytesIO()
    book.save(out)

    dataset = read_spreadsheet(out.getvalue(), "委员名册.xlsx")

    assert len(dataset) == 1
    assert dataset.sheet_rows == [2]


# --- A .csv in every encoding a Chinese office saves -------------------------------------------


ENCODINGS = {
    "GB18030 with its BOM": lambda text: b"\x84\x31\x95\x33" + text.encode("gb18030"),
    "GB18030": lambda text: text.encode("gb18030"),
    "GBK": lambda text: text.encode("gbk"),
    "UTF-8 with its BOM": lambda text: text.encode("utf-8-sig"),
    "UTF-8": lambda text: text.encode("utf-8"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_a_csv_in_any_chinese_encoding_imports(register, run_import, encoding):
    text = csv_bytes(MEMBER_ROWS, "utf-8").decode()
    dataset = read_spreadsheet(ENCODINGS[encoding](text), "委员.csv")

    preview, result = run_import(MemberResource, register.committee, register.staff, dataset)

    assert problems_of(preview) == []
    imported = Member.objects.filter(committee=register.committee, name__in=["王芳", "李强"])
    assert set(imported.values_list("name", flat=True)) == {"王芳", "李强"}


def test_a_header_with_an_invisible_mark_is_the_header(register, run_import):
    rows = [["\ufeff姓名\u200b", "手机号"], ["王芳", "13955510001"]]

    preview, result = run_import(MemberResource, register.committee, register.staff, rows)

    assert problems_of(preview) == []
    assert result is not None


def test_a_csv_in_no_known_encoding_says_which_it_reads(register):
    with pytest.raises(Exception, match="UTF-8、GB18030或GBK"):
        read_spreadsheet(b"\xff\xfe\x00\x00\xff\xff", "委员.csv")


# --- Excel's serial dates ----------------------------------------------------------------------


def workstation_rows(founded):
    return [
        ["名称", "类型", "类别", "所属区域", "成立日期"],
        ["城关委员工作室", "委员工作室", "区域", "城关镇", founded],
    ]


def test_an_excel_serial_date_in_an_xlsx_is_a_date(register, run_import):
    preview, result = run_import(
        WorkstationResource, register.committee, register.staff, workstation_rows(45628)
    )

    assert problems_of(preview) == []
    station = Workstation.objects.get(committee=register.committee, name="城关委员工作室")
    assert station.established_on == datetime.date(2024, 12, 2)


def test_an_excel_serial_date_in_a_csv_is_a_date(register, run_import):
    preview, result = run_import(
        WorkstationResource,
        register.committee,
        register.staff,
        workstation_rows("45628"),
        file_name="工作室.csv",
    )

    assert problems_of(preview) == []
    station = Workstation.objects.get(committee=register.committee, name="城关委员工作室")
    assert station.established_on == datetime.date(2024, 12, 2)


def test_a_number_that_is_no_date_is_refused_as_a_date(register, run_import):
    preview, result = run_import(
        WorkstationResource, register.committee, register.staff, workstation_rows(0)
    )

    assert result is None
    assert problems_of(preview) == [(2, "成立日期")]


# --- Invisible control characters --------------------------------------------------------------


@pytest.mark.parametrize(("character", "code"), [("\x00", "U+0000"), ("\x07", "U+0007")])
def test_a_control_character_in_a_cell_is_named(register, run_import, character, code):
    rows = [["姓名", "工作单位"], ["王芳", "县人民医院"], ["李强", f"县{character}一中"]]

    preview, result = run_import(
        MemberResource, register.committee, register.staff, rows, file_name="委员.csv"
    )

    assert result is None
    (problem,) = preview.problems()
    assert (problem.row, problem.column) == (3, "工作单位")
    assert f"不可见的控制字符（{code}）" in problem.message


def test_a_sheet_with_a_control_character_imports_nothing(register, run_import):
    rows = [["姓名", "工作单位"], ["王芳", "县人民医院"], ["李强", "县\x00一中"]]

    run_import(MemberResource, register.committee, register.staff, rows, file_name="委员.csv")

    assert not Member.objects.filter(committee=register.committee, name="王芳").exists()
