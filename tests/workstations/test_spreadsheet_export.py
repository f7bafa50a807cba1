"""Exports: no cell a spreadsheet would run as a formula, real numbers and dates kept as such,
and only what the exporting user may see."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest

from consultations.resources import ActivityResource
from members.resources import MemberResource
from outcomes.resources import OutcomeResource
from tests.factories import ActivityFactory, MemberFactory, OutcomeFactory, WorkstationFactory
from workstations.resources import WorkstationResource
from workstations.spreadsheets.cells import neutralise_formula
from workstations.spreadsheets.files import CSV, XLSX

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

DANGEROUS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_every_formula_trigger_is_neutralised(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["普通文字", "1+1", " =1", "", None, -5, 3.5, datetime.date(2024, 5, 1)]
)
def test_other_values_are_left_alone(value):
    assert neutralise_formula(value) == value


def dangerous_register(hanshan):
    member = MemberFactory(
        committee=hanshan.committee,
        name='=HYPERLINK("http://evil","x")',
        workplace="+1+1",
        title="-1+1",
        expertise="@SUM(A1)",
        public_bio="\t=1+1",
        mobile="-123",
        birth_year=1975,
    )
    workstation = WorkstationFactory(
        committee=hanshan.committee, name="=cmd|' /C calc'!A0", address="\r=1+1"
    )
    ActivityFactory(
        workstation=workstation,
        title="+1+1",
        place="@A1",
        residents_served=12,
        participants=[member],
    )
    OutcomeFactory(
        committee=hanshan.committee,
        workstation=workstation,
        title="-1+1",
        submitted_to="=1+1",
        authors=[member],
    )
    return member


def all_cells(dataset):
    return [cell for row in dataset for cell in row]


@pytest.mark.parametrize(
    "resource_class", [MemberResource, WorkstationResource, ActivityResource, OutcomeResource]
)
def test_no_exported_cell_starts_a_formula(register, resource_class):
    hanshan = register
    dangerous_register(hanshan)
    dataset = resource_class(user=hanshan.staff).export()
    texts = [c for c in all_cells(dataset) if isinstance(c, str)]
    assert texts
    assert not [c for c in texts if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    # Both file formats: the .csv text and the .xlsx cells (none of them a formula).
    rows = list(csv.reader(io.StringIO(CSV().export_data(dataset), newline="")))
    assert not [c for row in rows for c in row if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    book = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(dataset)))
    assert all(cell.data_type != "f" for row in book.worksheets[0].iter_rows() for cell in row)


def test_numbers_and_dates_stay_numbers_and_dates_in_xlsx(register):
    hanshan = register
    dangerous_register(hanshan)
    dataset = ActivityResource(user=hanshan.staff).export(force_native_type=True)
    row = next(r for r in dataset.dict if r["标题"] == "'+1+1")
    assert row["服务群众人次"] == 12
    assert isinstance(row["日期"], datetime.date)
    member = next(
        r
        for r in MemberResource(user=hanshan.staff).export(force_native_type=True).dict
        if r["手机号"] == "'-123"
    )
    assert member["出生年份"] == 1975
    assert member["姓名"].startswith("'=HYPERLINK")


def test_export_covers_only_what_the_user_sees(register, huimin, city_staff):
    hanshan = register
    names = {r["姓名"] for r in MemberResource(user=hanshan.staff).export().dict}
    assert hanshan.member.name in names and huimin.member.name not in names
    names = {r["姓名"] for r in MemberResource(user=city_staff).export().dict}
    assert hanshan.member.name in names and huimin.member.name not in names
    committees = {r["所属政协"] for r in MemberResource(user=city_staff).export().dict}
    assert committees == {hanshan.committee.name}


def test_a_control_character_pasted_into_a_field_does_not_break_the_xlsx_export(register):
    hanshan = register
    MemberFactory(committee=hanshan.committee, name="王芳", workplace="含山\x0b县医院\x01")
    dataset = MemberResource(user=hanshan.staff).export()
    row = next(r for r in dataset.dict if r["姓名"] == "王芳")
    assert row["工作单位"] == "含山\ufffd县医院\ufffd"
    book = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(dataset)))
    cells = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert "含山\ufffd县医院\ufffd" in cells
