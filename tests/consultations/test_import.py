"""Importing the activity register (an office's ledger): the same rules as the activity
services, and the review trail."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from consultations.models import Activity, ActivityReview
from consultations.resources import ActivityResource
from tests.factories import ActivityFactory, MemberFactory, MembershipFactory
from tests.spreadsheets import problems_of
from workstations.spreadsheets.resources import CHANGE_REASON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


# --- Activities --------------------------------------------------------------------------------


def activity_rows(hanshan, when=None):
    when = when or timezone.localdate() - datetime.timedelta(days=5)
    return [
        [
            "工作室",
            "活动类型",
            "标题",
            "日期",
            "地点",
            "参与委员",
            "服务群众人次",
            "活动内容",
            "状态",
        ],
        [
            hanshan.workstation.name,
            "微宣讲",
            "医保政策进社区",
            when.isoformat(),
            "社区议事厅",
            f"{hanshan.convener.name}、{hanshan.member.name}",
            45,
            "宣讲医保新政",
            "",
        ],
        [
            hanshan.other_workstation.name,
            "义诊",
            "送医下乡",
            when.isoformat(),
            "",
            "",
            "",
            "",
            "草稿",
        ],
    ]


def test_activities_happy_path_and_second_import(register, run_import):
    hanshan = register
    preview, result = run_import(
        ActivityResource, hanshan.committee, hanshan.staff, activity_rows(hanshan)
    )
    assert problems_of(preview) == []
    assert result.totals["new"] == 2
    lecture = Activity.objects.get(title="医保政策进社区")
    assert lecture.type.name == "微宣讲" and lecture.residents_served == 45
    assert set(lecture.participants.all()) == {hanshan.convener, hanshan.member}
    assert lecture.status == Activity.Status.APPROVED  # the office vouches for its ledger
    assert lecture.approved_by == hanshan.staff and lecture.approved_at is not None
    clinic = Activity.objects.get(title="送医下乡")
    assert clinic.status == Activity.Status.DRAFT and clinic.residents_served == 0
    record = lecture.history.earliest()
    assert (record.history_user, record.history_change_reason) == (hanshan.staff, CHANGE_REASON)

    preview, again = run_import(
        ActivityResource, hanshan.committee, hanshan.staff, activity_rows(hanshan)
    )
    assert again.totals["skip"] == 2
    assert Activity.objects.filter(workstation__committee=hanshan.committee).count() == 2


def test_activity_rules_are_row_errors(register, huimin, run_import):
    hanshan = register
    rows = activity_rows(hanshan, when=timezone.localdate() + datetime.timedelta(days=3))
    rows[2][5] = f"{huimin.member.name}、无名氏"  # another county's member, and nobody
    rows[2][0] = huimin.workstation.name
    preview, result = run_import(ActivityResource, hanshan.committee, hanshan.staff, rows)
    assert result is None
    assert set(problems_of(preview)) == {(2, "日期"), (3, "日期"), (3, "工作室"), (3, "参与委员")}
    assert not Activity.objects.exists()


def test_a_name_two_members_share_needs_the_mobile(register, run_import):
    hanshan = register
    twin = MemberFactory(committee=hanshan.committee, name=hanshan.member.name)
    MembershipFactory(member=twin, workstation=hanshan.workstation)  # a participant sits there
    rows = activity_rows(hanshan)[:2]
    preview, result = run_import(ActivityResource, hanshan.committee, hanshan.staff, rows)
    assert problems_of(preview) == [(2, "参与委员")]
    rows[1][5] = f"{hanshan.convener.name}；{twin.name}（{twin.mobile[-4:]}）"
    preview, result = run_import(ActivityResource, hanshan.committee, hanshan.staff, rows)
    assert set(Activity.objects.get().participants.all()) == {hanshan.convener, twin}


def test_a_participant_outside_the_workstation_is_refused_at_the_preview(register, run_import):
    hanshan = register
    rows = activity_rows(hanshan)
    rows[1][5] = f"{hanshan.convener.name}、{hanshan.other_member.name}"  # sits in the other one
    preview, result = run_import(ActivityResource, hanshan.committee, hanshan.staff, rows)
    assert result is None
    [problem] = preview.problems()
    assert (problem.row, problem.column) == (2, "参与委员")
    assert "Only members of this workstation" in problem.message
    assert not Activity.objects.exists()


def test_a_submitted_or_approved_row_says_what_was_done(register, run_import):
    hanshan = register
    rows = activity_rows(hanshan)
    rows[1][7] = ""  # no 活动内容, and approved (no status)
    rows[2][8] = "已提交"  # submitted, without 活动内容 either
    preview, result = run_import(ActivityResource, hanshan.committee, hanshan.staff, rows)
    assert result is None
    assert problems_of(preview) == [(2, "活动内容"), (3, "活动内容")]
    assert not Activity.objects.exists()


def test_an_imported_approved_activity_has_its_review_trail(register, run_import):
    hanshan = register
    run_import(ActivityResource, hanshan.committee, hanshan.staff, activity_rows(hanshan))
    lecture = Activity.objects.get(title="医保政策进社区")
    assert lecture.status == Activity.Status.APPROVED and lecture.submitted_at is not None
    trail = list(lecture.reviews.values_list("action", "by"))
    assert trail == [
        (ActivityReview.Action.SUBMITTED, hanshan.staff.pk),
        (ActivityReview.Action.APPROVED, hanshan.staff.pk),
    ]
    clinic = Activity.objects.get(title="送医下乡")
    assert not clinic.reviews.exists()  # a draft has no review yet


def test_an_approved_activity_cannot_be_imported_back_to_draft(register, run_import):
    hanshan = register
    approved = ActivityFactory(workstation=hanshan.workstation, participants=[hanshan.member])
    rows = [
        ["工作室", "活动类型", "标题", "日期", "状态"],
        [hanshan.workstation.name, approved.type.name, approved.title, approved.date, "草稿"],
    ]
    preview, result = run_import(ActivityResource, hanshan.committee, hanshan.staff, rows)
    assert result is None
    [problem] = preview.problems()
    assert (problem.row, problem.column) == (2, "状态")
    approved.refresh_from_db()
    assert approved.status == Activity.Status.APPROVED


def test_participants_are_imported_in_bulk_with_their_history(register, run_import):
    hanshan = register
    preview, result = run_import(
        ActivityResource, hanshan.committee, hanshan.staff, activity_rows(hanshan)
    )
    lecture = Activity.objects.get(title="医保政策进社区")
    record = lecture.history.get()
    assert (record.history_user, record.history_change_reason) == (hanshan.staff, CHANGE_REASON)
    assert {p.member_id for p in record.participants.all()} == {
        hanshan.convener.pk,
        hanshan.member.pk,
    }
    # A changed list of participants replaces the stored one, in a new history record.
    rows = activity_rows(hanshan)
    rows[1][5] = hanshan.member.name
    preview, result = run_import(ActivityResource, hanshan.committee, hanshan.staff, rows)
    assert (result.totals["update"], result.totals["skip"]) == (1, 1)
    assert list(lecture.participants.all()) == [hanshan.member]
    latest = lecture.history.latest()
    assert {p.member_id for p in latest.participants.all()} == {hanshan.member.pk}
    assert list(lecture.reviews.values_list("action", flat=True)) == ["submitted", "approved"]


def test_a_second_import_of_the_same_ledger_changes_nothing(register, run_import):
    hanshan = register
    rows = activity_rows(hanshan)
    run_import(ActivityResource, hanshan.committee, hanshan.staff, rows)
    written = {a.pk: a.updated_at for a in Activity.objects.all()}
    history = Activity.history.count()
    participants_history = Activity.history.model.participants.model.objects.count()
    reviews = ActivityReview.objects.count()

    preview, again = run_import(ActivityResource, hanshan.committee, hanshan.staff, rows)

    assert again.totals["skip"] == 2 and again.totals["new"] == again.totals["update"] == 0
    assert {a.pk: a.updated_at for a in Activity.objects.all()} == written
    assert Activity.history.count() == history
    assert Activity.history.model.participants.model.objects.count() == participants_history
    assert ActivityReview.objects.count() == reviews
