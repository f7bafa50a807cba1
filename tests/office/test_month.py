"""The office's month: every workstation's ledger in one workbook, the points ranking and the
assessment as workbooks holding what their pages show and printable, and the admin index's
"To do" box with what waits (activities to review, messages unanswered and overdue)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations.models import Activity, PublicMessage
from outcomes.exports import sheet_title
from tests.factories import ActivityFactory, PublicMessageFactory, WorkstationFactory
from workstations.models import SpreadsheetJob

from .conftest import LAST_YEAR, D, populate_county
from .test_downloads import XLSX

pytestmark = pytest.mark.django_db

MARCH = f"{LAST_YEAR}-03"


def book_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.content))


def sheet_text(sheet) -> str:
    return "\n".join(
        str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None
    )


def rows_of(sheet, *, header_row: int) -> list[tuple]:
    return [r for r in sheet.iter_rows(min_row=header_row + 1, values_only=True) if any(r)]


def county_ledger(client, committee="hanshan", month=MARCH):
    url = reverse("office:committee_ledger_xlsx", kwargs={"committee": committee})
    return client.get(url, {"month": month})


# --- Every workstation's ledger in one workbook ------------------------------------------------


def test_the_county_ledger_has_a_summary_and_a_sheet_per_workstation(office, english_login):
    book = book_of(county_ledger(english_login(office.hanshan.staff)))
    names = book.sheetnames
    assert names[0] == "Summary"
    assert office.hanshan.workstation.name[:31] in names
    assert office.hanshan.other_workstation.name[:31] in names
    assert len(names) == 3


def test_the_county_ledger_holds_each_workstations_activities_of_the_month(office, english_login):
    book = book_of(county_ledger(english_login(office.hanshan.staff)))
    own = sheet_text(book[sheet_title(office.hanshan.workstation.name, set())])
    other = sheet_text(book[sheet_title(office.hanshan.other_workstation.name, set())])
    assert "含山三月宣讲" in own
    assert "含山五月宣讲" not in own  # May is another month's ledger
    assert "含山三月宣讲" not in other
    assert "0 activities" in other  # a quiet workstation is accounted for


def test_the_county_ledgers_summary_counts_each_workstation(office, english_login):
    ActivityFactory(workstation=office.hanshan.other_workstation, date=D(3, 2), title="三月二")
    ActivityFactory(workstation=office.hanshan.other_workstation, date=D(3, 28), title="三月三")
    book = book_of(county_ledger(english_login(office.hanshan.staff)))
    counts = {row[2]: row[3] for row in rows_of(book["Summary"], header_row=3) if row[2]}
    assert counts == {office.hanshan.workstation.name: 1, office.hanshan.other_workstation.name: 2}


def test_the_county_ledger_holds_nothing_of_another_county(office, english_login):
    book = book_of(county_ledger(english_login(office.hanshan.staff)))
    assert all("惠民" not in sheet_text(sheet) for sheet in book.worksheets)


def test_the_county_ledger_leaves_out_activities_not_yet_approved(office, english_login):
    ActivityFactory(
        workstation=office.hanshan.workstation,
        date=D(3, 12),
        title="含山待审活动",
        status=Activity.Status.SUBMITTED,
    )
    book = book_of(county_ledger(english_login(office.hanshan.staff)))
    assert all("含山待审活动" not in sheet_text(sheet) for sheet in book.worksheets)


def test_the_city_ledger_holds_its_counties_workstations(office, city_staff, english_login):
    book = book_of(county_ledger(english_login(city_staff), committee="maanshan"))
    text = "\n".join(sheet_text(sheet) for sheet in book.worksheets)
    assert "含山三月宣讲" in text and "惠民" not in text


def test_the_ledgers_page_offers_this_months_county_ledger(office, english_login):
    client = english_login(office.hanshan.staff)
    html = client.get(reverse("office:ledgers", args=["hanshan"])).content.decode()
    today = timezone.localdate()
    url = reverse("office:committee_ledger_xlsx", kwargs={"committee": "hanshan"})
    assert f'{url}?month={today.year}-{today.month:02d}"' in html
    assert "Download the county's ledger of this month" in html


def test_a_county_ledger_of_a_month_not_yet_begun_is_refused_on_the_page(office, english_login):
    response = county_ledger(english_login(office.hanshan.staff), month="2999-01")
    assert response.status_code == 200
    assert "month" in response.context["county_form"].errors
    assert "Choose a month that has begun." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("含山县[环峰]:委员*工作室?/\\", "含山县环峰委员工作室"),
        ("=SUM(A1)", "SUM(A1)"),
        ("'引号'", "引号"),
        ("环峰镇" * 20, ("环峰镇" * 20)[:31]),
    ],
    ids=["refused-characters", "formula", "apostrophes", "long"],
)
def test_a_sheet_name_is_one_excel_accepts(name, expected):
    assert sheet_title(name, set()) == expected


def test_two_workstations_that_look_alike_get_two_sheets():
    taken: set[str] = set()
    long = "环峰镇医药卫生界委员工作室" * 3
    first, second = sheet_title(long, taken), sheet_title(long, taken)
    assert first != second and len(second) <= 31 and second.endswith("(2)")
    assert sheet_title("Summary", {"summary"}) == "Summary(2)"


def test_a_committee_of_many_workstations_has_its_ledger_written_by_a_task(
    office, city_staff, english_login, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_WORKSTATIONS = 1
    client = english_login(city_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = county_ledger(client, committee="maanshan")
    assert response.status_code == 302
    assert response["Location"] == reverse("office:downloads", args=["maanshan"])
    job = SpreadsheetJob.objects.get()
    assert job.file.endswith(".xlsx") and MARCH in job.title
    from django.core.files.storage import storages

    with storages["private"].open(job.file, "rb") as stored:
        book = load_workbook(io.BytesIO(stored.read()))
    assert "含山三月宣讲" in "\n".join(sheet_text(sheet) for sheet in book.worksheets)


def test_the_county_ledger_does_not_query_per_workstation(hanshan, english_login):
    client = english_login(hanshan.staff)
    populate_county(hanshan.committee, workstations=3, year=LAST_YEAR)
    with CaptureQueriesContext(connection) as small:
        county_ledger(client)
    populate_county(hanshan.committee, workstations=20, year=LAST_YEAR, seed=8, first=4)
    with CaptureQueriesContext(connection) as large:
        response = county_ledger(client)
    assert len(book_of(response).sheetnames) == 1 + 2 + 23
    assert len(large) == len(small)


# --- The ranking and the assessment as workbooks, and on paper ---------------------------------


def test_the_points_workbook_holds_the_rows_the_page_shows(office, english_login):
    client = english_login(office.hanshan.staff)
    page = client.get(reverse("office:points", args=["hanshan"]), {"year": LAST_YEAR})
    shown = [(s.rank, s.member.name, float(s.points)) for s in page.context["standings"]]
    url = reverse("office:points_xlsx", kwargs={"committee": "hanshan"})
    book = book_of(client.get(url, {"year": LAST_YEAR}))
    rows = rows_of(book.worksheets[0], header_row=3)
    assert [(r[0], r[2], r[5]) for r in rows] == shown
    assert shown and all("惠民" not in str(r) for r in rows)


def test_the_assessment_workbook_holds_the_rows_the_page_shows(office, english_login):
    client = english_login(office.hanshan.staff)
    page = client.get(reverse("office:assessment", args=["hanshan"]), {"year": LAST_YEAR})
    shown = [
        (row.score.rank, row.score.workstation.name, float(row.score.total))
        for row in page.context["rows"]
    ]
    url = reverse("office:assessment_xlsx", kwargs={"committee": "hanshan"})
    book = book_of(client.get(url, {"year": LAST_YEAR}))
    rows = rows_of(book["Assessment"], header_row=3)
    assert [(r[0], r[2], r[-1]) for r in rows] == shown
    assert len(rows[0]) == 3 + len(page.context["metrics"]) + 3


def test_the_assessment_workbook_lists_each_adjustment_with_its_reason(office, english_login):
    client = english_login(office.hanshan.staff)
    url = reverse("office:assessment_xlsx", kwargs={"committee": "hanshan"})
    book = book_of(client.get(url, {"year": LAST_YEAR}))
    text = sheet_text(book["Adjustments"])
    assert "含山承办全市现场会" in text and "惠民" not in text


@pytest.mark.parametrize(
    ("page", "download"),
    [("office:points", "office:points_xlsx"), ("office:assessment", "office:assessment_xlsx")],
)
def test_the_ranking_pages_offer_print_and_their_workbook(page, download, office, english_login):
    html = english_login(office.hanshan.staff).get(reverse(page, args=["hanshan"])).content.decode()
    assert "data-print" in html
    assert reverse(download, kwargs={"committee": "hanshan"}) in html
    assert 'class="print-only sheet-committee">含山' in html  # the paper names its committee


# --- The admin index's "To do" box -------------------------------------------------------------


@pytest.fixture
def waiting(office):
    """含山: two activities submitted, three messages unanswered (one for ten days), one
    answered; 惠民: one of each waiting."""
    ns = office.hanshan
    for workstation in (ns.workstation, ns.other_workstation):
        ActivityFactory(workstation=workstation, status=Activity.Status.SUBMITTED)
    ActivityFactory(workstation=office.huimin.workstation, status=Activity.Status.SUBMITTED)
    new = PublicMessageFactory.create_batch(2, workstation=ns.workstation)
    handled = PublicMessageFactory(
        workstation=ns.other_workstation, status=PublicMessage.Status.IN_PROGRESS
    )
    PublicMessageFactory(workstation=ns.workstation, status=PublicMessage.Status.ANSWERED)
    PublicMessageFactory(workstation=office.huimin.workstation)
    old = timezone.now() - datetime.timedelta(days=10)
    PublicMessage.objects.filter(pk__in=[new[0].pk, handled.pk]).update(created_at=old)
    return office


def admin_index(client):
    return client.get(reverse("admin:index")).content.decode()


def test_the_admin_index_counts_what_waits_in_the_staff_members_county(waiting, english_login):
    html = admin_index(english_login(waiting.hanshan.staff))
    assert "To do" in html
    activities = reverse("admin:consultations_activity_changelist")
    messages = reverse("admin:consultations_publicmessage_changelist")
    assert f'<a href="{activities}?status__exact=submitted">2</a>' in html
    assert f'<a href="{messages}?waiting=unanswered">3</a>' in html
    assert f'<a href="{messages}?waiting=overdue">2</a>' in html
    assert "unanswered for more than 7 days counts as overdue" in html


def test_a_city_sees_what_waits_in_its_counties(waiting, city_staff, english_login):
    html = admin_index(english_login(city_staff))
    messages = reverse("admin:consultations_publicmessage_changelist")
    assert f'<a href="{messages}?waiting=unanswered">3</a>' in html  # 含山's, not 惠民's


@pytest.mark.parametrize(
    ("waiting_for", "expected"),
    [("unanswered", 3), ("overdue", 2)],
)
def test_the_waiting_links_open_the_messages_they_count(
    waiting_for, expected, waiting, english_login
):
    url = reverse("admin:consultations_publicmessage_changelist")
    response = english_login(waiting.hanshan.staff).get(url, {"waiting": waiting_for})
    assert response.status_code == 200
    assert response.context["cl"].result_count == expected


def test_the_review_link_opens_the_activities_it_counts(waiting, english_login):
    url = reverse("admin:consultations_activity_changelist")
    response = english_login(waiting.hanshan.staff).get(url, {"status__exact": "submitted"})
    assert response.context["cl"].result_count == 2


def test_the_to_do_box_takes_the_same_queries_whatever_waits(
    office, english_login, django_assert_max_num_queries
):
    client = english_login(office.hanshan.staff)
    with CaptureQueriesContext(connection) as quiet:
        admin_index(client)
    for _ in range(5):
        ActivityFactory(workstation=office.hanshan.workstation, status=Activity.Status.SUBMITTED)
        PublicMessageFactory(workstation=WorkstationFactory(committee=office.hanshan.committee))
    with django_assert_max_num_queries(len(quiet)):
        html = admin_index(client)
    assert '?waiting=unanswered">5</a>' in html
