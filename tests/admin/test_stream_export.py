"""The registers' whole lists as files written as they are read (.xlsx and .csv): the
changelist's filters apply, only what the user may see is in them, no cell runs a formula."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

URL = "admin:consultations_activity_stream_export"


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_xlsx_holds_every_row_the_user_sees(hanshan, huimin, login):
    ActivityFactory(workstation=hanshan.workstation, title="含山的活动")
    ActivityFactory(workstation=huimin.workstation, title="惠民的活动")
    response = login(hanshan.staff).get(reverse(URL))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(content(response))).active
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["含山的活动"]


def test_dates_stay_dates_in_the_xlsx(hanshan, login):
    activity = ActivityFactory(workstation=hanshan.workstation)
    sheet = openpyxl.load_workbook(
        io.BytesIO(content(login(hanshan.staff).get(reverse(URL))))
    ).active
    assert sheet.cell(row=2, column=4).value.date() == activity.date


def test_the_csv_follows_the_changelists_search_and_neutralises_formulas(hanshan, login):
    ActivityFactory(workstation=hanshan.workstation, title="=HYPERLINK(1)养老")
    ActivityFactory(workstation=hanshan.workstation, title="教育讲座")
    response = login(hanshan.staff).get(reverse(URL), {"q": "养老", "format": "csv"})
    text = content(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[2] for r in rows[1:]] == ["'=HYPERLINK(1)养老"]
    assert ".csv" in response["Content-Disposition"]


def test_without_the_export_right_it_is_refused(hanshan, reader_staff, login):
    assert login(reader_staff).get(reverse(URL)).status_code == 403


def test_the_changelist_offers_the_download(hanshan, login):
    page = login(hanshan.staff).get(reverse("admin:consultations_activity_changelist"))
    assert reverse(URL) in page.content.decode()


def test_the_date_hierarchy_reads_only_the_first_and_last_dates(hanshan, login):
    import datetime

    ActivityFactory(workstation=hanshan.workstation, date=datetime.date(2024, 3, 1))
    ActivityFactory(workstation=hanshan.workstation, date=datetime.date(2025, 5, 1))
    page = login(hanshan.staff).get(reverse("admin:consultations_activity_changelist"))
    html = page.content.decode()
    assert "date__year=2024" in html and "date__year=2025" in html
