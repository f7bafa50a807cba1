"""rhythm_report, send_rhythm_reminders and the workbooks, on crafted data."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase
from openpyxl import load_workbook

from outcomes import exports, rhythm
from outcomes.models import ReminderLog, Requirement
from tests.factories import ActivityFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def county(hanshan):
    Requirement.objects.create(
        committee=hanshan.committee,
        name="一月一活动",
        period=Requirement.Period.MONTH,
        counts=Requirement.Counts.ACTIVITY,
        effective_from=D(2025, 1, 1),
        reminder_day=20,
    )
    ActivityFactory(workstation=hanshan.workstation, date=D(2025, 3, 5), title="=HYPERLINK(1)")
    hanshan.convener.user.email = "convener@example.org"
    hanshan.convener.user.save()
    return hanshan


def _run(*args) -> str:
    out = io.StringIO()
    # Reminders are mailed by tasks once the command's transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command(*args, stdout=out)
    return out.getvalue()


def test_the_report_as_a_table_shows_each_workstation(county):
    text = _run("rhythm_report", "--committee", "hanshan", "--year", "2025")
    assert county.workstation.name in text
    assert "✓1" in text


def test_the_report_as_csv_has_one_row_per_workstation_and_requirement(county):
    rows = list(
        csv.reader(
            io.StringIO(
                _run("rhythm_report", "--committee", "hanshan", "--year", "2025", "--format", "csv")
            )
        )
    )
    assert len(rows) == 3  # header + two workstations
    march = rows[0].index("3")
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name[county.workstation.name][march] == "✓1"
    assert by_name[county.other_workstation.name][march] == "✗0"


def test_the_report_as_xlsx_writes_a_workbook(county, tmp_path):
    target = tmp_path / "rhythm.xlsx"
    _run(
        "rhythm_report",
        "--committee",
        "hanshan",
        "--year",
        "2025",
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    sheet = load_workbook(target).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert county.workstation.name in values


def test_the_report_for_a_county_leaves_out_other_counties(county, huimin):
    text = _run("rhythm_report", "--committee", "hanshan", "--year", "2025")
    assert huimin.workstation.name not in text


def test_the_report_refuses_a_user_of_another_county(county, huimin):
    with pytest.raises(CommandError):
        _run("rhythm_report", "--committee", "hanshan", "--user", huimin.staff.username)


def test_the_report_allows_the_city_above(county, city_staff):
    assert county.workstation.name in _run(
        "rhythm_report", "--committee", "hanshan", "--year", "2025", "--user", city_staff.username
    )


def test_an_unknown_committee_is_a_clear_error(db):
    with pytest.raises(CommandError, match="nowhere"):
        _run("rhythm_report", "--committee", "nowhere")


def test_reminders_go_to_conveners_behind_after_the_day(county):
    _run("send_rhythm_reminders", "--date", "2025-04-21")
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"convener@example.org", "hanshan_other@example.org"}
    assert county.workstation.name in sent["convener@example.org"].body


def test_reminders_run_twice_send_nothing_new(county):
    _run("send_rhythm_reminders", "--date", "2025-04-21")
    _run("send_rhythm_reminders", "--date", "2025-04-22")
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.count() == 2


def test_no_reminder_before_the_day(county):
    _run("send_rhythm_reminders", "--date", "2025-04-19")
    assert mail.outbox == []


def test_no_reminder_once_the_period_is_met(county):
    ActivityFactory(workstation=county.workstation, date=D(2025, 4, 2))
    _run("send_rhythm_reminders", "--date", "2025-04-21")
    assert "convener@example.org" not in [m.to[0] for m in mail.outbox]


def test_a_dry_run_sends_and_logs_nothing(county):
    out = _run("send_rhythm_reminders", "--date", "2025-04-21", "--dry-run")
    assert mail.outbox == [] and not ReminderLog.objects.exists()
    assert county.workstation.name in out


def test_the_ledger_neutralises_formulas_typed_by_members(county):
    book = load_workbook(io.BytesIO(exports.activity_ledger(county.workstation, 2025, 3)))
    values = [c.value for row in book.active.iter_rows() for c in row]
    assert "'=HYPERLINK(1)" in values
    assert "=HYPERLINK(1)" not in values


def test_the_ledger_lists_only_approved_activities_of_the_month(county):
    ActivityFactory(
        workstation=county.workstation,
        date=D(2025, 3, 9),
        status="draft",
        approved_at=None,
        title="草稿",
    )
    ActivityFactory(workstation=county.workstation, date=D(2025, 4, 9), title="四月")
    book = load_workbook(io.BytesIO(exports.activity_ledger(county.workstation, 2025, 3)))
    values = [c.value for row in book.active.iter_rows() for c in row]
    assert "草稿" not in values and "四月" not in values


def test_the_yearly_workbook_has_its_sheets(county):
    book = load_workbook(
        io.BytesIO(exports.yearly_statistics(county.committee, 2025, today=D(2026, 1, 5)))
    )
    assert len(book.sheetnames) == 4
    monthly = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert "2025-03" in monthly


def test_the_member_record_lists_every_point(county):
    from outcomes.services.setup import committee_seed_rhythm

    committee_seed_rhythm(committee=county.committee)
    member = MemberFactory(committee=county.committee, user=UserFactory())
    ActivityFactory(
        workstation=county.workstation, date=D(2025, 6, 1), participants=[member], title="义诊进村"
    )
    book = load_workbook(io.BytesIO(exports.member_record(member, 2025)))
    values = [c.value for row in book.active.iter_rows() for c in row]
    assert "义诊进村" in values
    assert rhythm is not None


def test_the_table_lines_up_months_quarters_and_the_year(county):
    Requirement.objects.create(
        committee=county.committee,
        name="一季一议事",
        period=Requirement.Period.QUARTER,
        counts=Requirement.Counts.CONSULTATION,
        effective_from=D(2025, 1, 1),
    )
    text = _run("rhythm_report", "--committee", "hanshan", "--year", "2025")
    assert "一季一议事" in text and "一月一活动" in text
