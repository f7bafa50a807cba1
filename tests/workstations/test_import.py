"""Importing the workstation register (a dry run for the preview, then the import)."""

from __future__ import annotations

import datetime

import pytest

from tests.spreadsheets import problems_of
from workstations.models import Workstation
from workstations.resources import WorkstationResource
from workstations.spreadsheets.resources import CHANGE_REASON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


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
