"""The downloads are real workbooks (openpyxl opens them) holding only the committee's subtree;
a role without the export right gets a 403 and no button."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .conftest import LAST_YEAR

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(response.content))
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def get(client, name, committee="hanshan", **kwargs):
    params = kwargs.pop("params", {"year": LAST_YEAR})
    return client.get(reverse(name, kwargs={"committee": committee, **kwargs}), params)


def test_the_board_workbook_holds_the_countys_workstations_only(office, login):
    text = workbook_text(get(login(office.hanshan.staff), "office:board_xlsx"))
    assert office.hanshan.workstation.name in text
    assert "惠民" not in text


def test_the_board_workbook_follows_the_filters(office, login):
    area = office.hanshan.workstation.area
    response = get(
        login(office.hanshan.staff),
        "office:board_xlsx",
        params={"year": LAST_YEAR, "area": area.pk},
    )
    text = workbook_text(response)
    assert office.hanshan.workstation.name in text
    assert office.hanshan.other_workstation.name not in text


def test_the_city_board_workbook_holds_its_counties(office, city_staff, login):
    text = workbook_text(get(login(city_staff), "office:board_xlsx", committee="maanshan"))
    assert office.hanshan.workstation.name in text
    assert "惠民" not in text


def test_the_yearly_statistics_workbook(office, login):
    response = get(login(office.hanshan.staff), "office:statistics")
    text = workbook_text(response)
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == 4
    assert office.hanshan.workstation.name in text and office.hanshan.member.name in text
    assert "惠民" not in text


def test_the_city_statistics_hold_its_counties_only(office, city_staff, login):
    text = workbook_text(get(login(city_staff), "office:statistics", committee="maanshan"))
    assert office.hanshan.workstation.name in text
    assert "惠民" not in text


def test_the_city_statistics_have_a_sheet_of_its_counties(office, city_staff, login):
    response = get(login(city_staff), "office:statistics", committee="maanshan")
    sheet = load_workbook(io.BytesIO(response.content))["按县统计"]
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert rows[-1][:3] == ["马鞍山市政协", "含山县政协", 2]  # city, county, activities


def test_a_members_yearly_record(office, login):
    response = get(login(office.hanshan.staff), "office:member_xlsx", pk=office.hanshan.member.pk)
    text = workbook_text(response)
    assert "含山三月宣讲" in text and "含山协商报告" in text
    assert "惠民" not in text


def test_a_workstations_monthly_ledger(office, login):
    params = {"workstation": office.hanshan.workstation.pk, "month": f"{LAST_YEAR}-03"}
    text = workbook_text(get(login(office.hanshan.staff), "office:ledgers", params=params))
    assert "含山三月宣讲" in text
    assert "含山五月宣讲" not in text


@pytest.mark.parametrize(
    "month",
    ["2025-13", "March", "1999-01", "2999-01", ""],
    ids=["13", "word", "old", "future", "empty"],
)
def test_a_ledger_for_a_month_that_is_not_one_is_refused(month, office, login):
    params = {"workstation": office.hanshan.workstation.pk, "month": month}
    response = get(login(office.hanshan.staff), "office:ledgers", params=params)
    assert response.status_code == 200
    assert "month" in response.context["form"].errors


def test_a_ledger_of_another_countys_workstation_is_refused(office, login):
    params = {"workstation": office.huimin.workstation.pk, "month": f"{LAST_YEAR}-03"}
    response = get(login(office.hanshan.staff), "office:ledgers", params=params)
    assert response.status_code == 200
    assert "workstation" in response.context["form"].errors
    assert office.huimin.workstation.name not in response.content.decode()


def test_filenames_say_what_the_file_is(office, login):
    response = get(login(office.hanshan.staff), "office:board_xlsx")
    disposition = response["Content-Disposition"]
    assert str(LAST_YEAR) in disposition and ".xlsx" in disposition


@pytest.mark.parametrize(
    ("page", "download"),
    [
        ("office:board", "office:board_xlsx"),
        ("office:figures", "office:statistics"),
        ("office:points", "office:points_xlsx"),
        ("office:assessment", "office:assessment_xlsx"),
    ],
)
def test_a_role_without_the_export_right_sees_no_download(
    page, download, office, reader_staff, login
):
    client = login(reader_staff)
    html = get(client, page).content.decode()
    assert reverse(download, kwargs={"committee": "hanshan"}) not in html
    assert get(client, download).status_code == 403
