"""Importing the workstation, activity and outcome registers (the programmatic path: a dry run
for the preview, then the import), and what is saved afterwards."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from config.importing import CHANGE_REASON
from consultations.models import Activity
from consultations.resources import ActivityResource
from outcomes.models import Outcome
from outcomes.resources import OutcomeResource
from tests.factories import MemberFactory
from workstations.models import Workstation
from workstations.resources import WorkstationResource

pytestmark = pytest.mark.django_db


def problems_of(result):
    return [(p.row, p.column) for p in result.problems()]


# --- Workstations ------------------------------------------------------------------------------


def workstation_rows():
    return [
        ["名称", "类型", "类别", "所属区域", "界别", "地址", "接待时间", "成立日期", "是否公开"],
        [
            "城关委员工作室",
            "委员工作室",
            "区域",
            "城关镇",
            "",
            "人民路1号",
            "每月15日",
            "2023/6/1",
            "是",
        ],
        ["医药卫生界别活动室", "界别活动室", "界别", "", "医药卫生界", "", "", "", "否"],
        ["鲁班工作室", "委员工作室", "特色型", "城关镇", "", "", "", "2024年3月8日", ""],
    ]


def test_workstations_happy_path_and_second_import(register, run_import):
    hanshan = register
    preview, result = run_import(
        WorkstationResource, hanshan.committee, hanshan.staff, workstation_rows()
    )
    assert problems_of(preview) == []
    assert result.totals["new"] == 3
    chengguan = Workstation.objects.get(committee=hanshan.committee, name="城关委员工作室")
    assert chengguan.kind == Workstation.Kind.MEMBER_WORKSTATION
    assert chengguan.area.name == "城关镇"
    assert chengguan.established_on == datetime.date(2023, 6, 1)
    assert chengguan.is_published is True
    assert chengguan.slug == "chengguanweiyuangongzuoshi"
    room = Workstation.objects.get(committee=hanshan.committee, name="医药卫生界别活动室")
    assert room.sector.name == "医药卫生界" and room.is_published is False
    luban = Workstation.objects.get(committee=hanshan.committee, name="鲁班工作室")
    assert luban.category == Workstation.Category.FEATURED
    assert luban.established_on == datetime.date(2024, 3, 8)
    record = chengguan.history.get()
    assert (record.history_user, record.history_change_reason) == (hanshan.staff, CHANGE_REASON)

    preview, again = run_import(
        WorkstationResource, hanshan.committee, hanshan.staff, workstation_rows()
    )
    assert again.totals["skip"] == 3
    assert Workstation.objects.filter(committee=hanshan.committee).count() == 5
    assert chengguan.history.count() == 1


def test_workstation_rules_are_row_errors(register, huimin, run_import):
    hanshan = register
    before = Workstation.objects.count()
    rows = workstation_rows()
    rows[2][4] = ""  # a workstation by sector without its sector
    rows[3][1] = "俱乐部"  # not a kind
    rows.append(["城关委员工作室", "委员工作室", "区域", "", "", "", "", "", ""])  # twice
    rows.append(["别的", "委员工作室", "区域", huimin.workstation.area.name, "", "", "", "", ""])
    preview, result = run_import(WorkstationResource, hanshan.committee, hanshan.staff, rows)
    assert result is None
    assert problems_of(preview) == [(3, "界别"), (4, "类型"), (5, ""), (6, "所属区域")]
    assert Workstation.objects.count() == before


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
    rows = activity_rows(hanshan)[:2]
    preview, result = run_import(ActivityResource, hanshan.committee, hanshan.staff, rows)
    assert problems_of(preview) == [(2, "参与委员")]
    rows[1][5] = f"{hanshan.convener.name}；{twin.name}（{twin.mobile[-4:]}）"
    preview, result = run_import(ActivityResource, hanshan.committee, hanshan.staff, rows)
    assert set(Activity.objects.get().participants.all()) == {hanshan.convener, twin}


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
