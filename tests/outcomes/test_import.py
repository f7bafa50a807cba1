"""Importing the outcome register."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from outcomes.models import Outcome
from outcomes.resources import OutcomeResource
from tests.spreadsheets import problems_of
from workstations.spreadsheets.resources import CHANGE_REASON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


# --- Outcomes ----------------------------------------------------------------------------------


def outcome_rows(hanshan):
    day = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    return [
        ["类型", "标题", "工作室", "作者", "报送对象", "报送日期", "摘要", "是否公开"],
        [
            "社情民意信息",
            "关于农村饮水安全的建议",
            hanshan.workstation.name,
            hanshan.member.name,
            "县委办",
            day,
            "加快管网改造",
            "是",
        ],
        ["调研报告", "关于老旧小区加装电梯的调研", "", "", "", "", "", ""],
    ]


def test_outcomes_happy_path_and_second_import(register, run_import):
    hanshan = register
    preview, result = run_import(
        OutcomeResource, hanshan.committee, hanshan.staff, outcome_rows(hanshan)
    )
    assert problems_of(preview) == []
    water = Outcome.objects.get(title="关于农村饮水安全的建议")
    assert water.committee == hanshan.committee and water.kind == Outcome.Kind.PUBLIC_OPINION
    assert water.status == Outcome.Status.SUBMITTED and water.is_published
    assert list(water.authors.all()) == [hanshan.member]
    research = Outcome.objects.get(title="关于老旧小区加装电梯的调研")
    assert research.status == Outcome.Status.DRAFT and research.workstation is None

    preview, again = run_import(
        OutcomeResource, hanshan.committee, hanshan.staff, outcome_rows(hanshan)
    )
    assert again.totals["skip"] == 2
    assert Outcome.objects.count() == 2


def test_outcome_rules_are_row_errors(register, run_import):
    hanshan = register
    rows = outcome_rows(hanshan)
    rows[1][5] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    rows[2][0] = "小说"
    rows.append(rows[1][:1] + ["关于老旧小区加装电梯的调研"] + [""] * 6)
    preview, result = run_import(OutcomeResource, hanshan.committee, hanshan.staff, rows)
    assert result is None
    assert problems_of(preview) == [(2, "报送日期"), (3, "类型"), (4, "")]
    assert not Outcome.objects.exists()


def test_authors_are_imported_in_bulk_with_their_history(register, run_import):
    hanshan = register
    run_import(OutcomeResource, hanshan.committee, hanshan.staff, outcome_rows(hanshan))
    water = Outcome.objects.get(title="关于农村饮水安全的建议")
    record = water.history.get()
    assert (record.history_user, record.history_change_reason) == (hanshan.staff, CHANGE_REASON)
    assert [a.member_id for a in record.authors.all()] == [hanshan.member.pk]
    # A sheet without the authors column changes the outcome and leaves its authors, in the
    # new history record too.
    rows = [["类型", "标题", "摘要"], ["社情民意信息", "关于农村饮水安全的建议", "新的摘要"]]
    preview, result = run_import(OutcomeResource, hanshan.committee, hanshan.staff, rows)
    assert result.totals["update"] == 1
    water.refresh_from_db()
    assert water.summary == "新的摘要" and list(water.authors.all()) == [hanshan.member]
    assert [a.member_id for a in water.history.latest().authors.all()] == [hanshan.member.pk]
