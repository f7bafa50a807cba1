"""Importing the member register, with places in workstations: the programmatic path (a dry
run for the preview, then the import), and what is saved afterwards."""

from __future__ import annotations

import time

import pytest
import tablib

from members.models import Member, Membership
from members.resources import MemberResource
from tests.spreadsheets import csv_bytes, sheet, xlsx_bytes
from workstations.spreadsheets.files import SpreadsheetError, read_csv, read_xlsx
from workstations.spreadsheets.resources import CHANGE_REASON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

HEADERS = [
    "姓名",
    "性别",
    "界别",
    "党派",
    "手机号",
    "身份证号",
    "工作单位",
    "职务",
    "所在工作室",
    "角色",
]


def rows_for(hanshan) -> list[list]:
    first, second = hanshan.workstation.name, hanshan.other_workstation.name
    return [
        HEADERS,
        [
            "王 芳",
            "女",
            "医药卫生界",
            "民盟",
            "13955510001",
            "34052219800101002X",
            "含山县人民医院",
            "副院长",
            first,
            "召集人",
        ],
        [
            "李强",
            "男",
            "经济界",
            "中共党员",
            "13955510002",
            "340522198202020031",
            "含山县农商行",
            "行长",
            f"{first}（副召集人）；{second}",
            "",
        ],
        ["赵敏", "女", "教育体育界", "无党派人士", "13955510003", "", "含山中学", "教师", "", ""],
    ]


def problems_of(result):
    return [(p.row, p.column, p.message) for p in result.problems()]


def test_happy_path_saves_members_places_and_history(register, run_import):
    hanshan = register
    before = Member.objects.count()

    rows = rows_for(hanshan)
    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)

    assert problems_of(preview) == []
    assert preview.totals["new"] == 3
    assert Member.objects.count() == before + 3
    wang = Member.objects.get(committee=hanshan.committee, id_number="34052219800101002X")
    assert wang.name == "王 芳"
    assert wang.gender == Member.Gender.FEMALE
    assert wang.sector.name == "医药卫生界"
    assert wang.party == Member.Party.CDL
    assert wang.mobile == "13955510001"
    li = Member.objects.get(committee=hanshan.committee, mobile="13955510002")
    assert li.party == Member.Party.CPC
    places = {
        (m.member.name, m.workstation_id, m.role)
        for m in Membership.objects.filter(member__in=[wang, li], until__isnull=True)
    }
    assert places == {
        ("王 芳", hanshan.workstation.pk, Membership.Role.CONVENER),
        ("李强", hanshan.workstation.pk, Membership.Role.DEPUTY),
        ("李强", hanshan.other_workstation.pk, Membership.Role.RESIDENT),
    }
    zhao = Member.objects.get(committee=hanshan.committee, name="赵敏")
    assert not zhao.memberships.exists()
    # The trace: a history record by the importing user, and the admin-independent reason.
    record = wang.history.get()
    assert record.history_type == "+"
    assert record.history_user == hanshan.staff
    assert record.history_change_reason == CHANGE_REASON
    membership_record = Membership.history.filter(member_id=wang.pk).get()
    assert membership_record.history_user == hanshan.staff


def test_importing_the_same_file_twice_changes_nothing_the_second_time(register, run_import):
    hanshan = register
    rows = rows_for(hanshan)
    run_import(MemberResource, hanshan.committee, hanshan.staff, rows)
    members = Member.objects.count()
    memberships = Membership.objects.count()
    history = Member.history.count() + Membership.history.count()

    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)

    assert result.totals["skip"] == 3
    assert result.totals["new"] == result.totals["update"] == 0
    assert Member.objects.count() == members
    assert Membership.objects.count() == memberships
    assert Member.history.count() + Membership.history.count() == history


def test_a_changed_row_updates_the_member_and_syncs_places(register, run_import):
    hanshan = register
    rows = rows_for(hanshan)
    run_import(MemberResource, hanshan.committee, hanshan.staff, rows)
    li = Member.objects.get(committee=hanshan.committee, mobile="13955510002")
    # 李强 leaves the second workstation, becomes convener of the first; new title.
    rows[2][7] = "董事长"
    rows[2][8] = f"{hanshan.workstation.name}（召集人）"

    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)

    assert result.totals["update"] == 1 and result.totals["skip"] == 2
    li.refresh_from_db()
    assert li.title == "董事长"
    open_places = list(li.memberships.filter(until__isnull=True).values_list("workstation", "role"))
    assert open_places == [(hanshan.workstation.pk, Membership.Role.CONVENER)]
    ended = li.memberships.get(workstation=hanshan.other_workstation)
    assert ended.until is not None
    assert li.history.count() == 2


def test_members_are_matched_by_id_number_then_name_and_mobile(register, run_import):
    hanshan = register
    member = hanshan.member  # in the register already, with ID number and mobile
    rows = [
        ["姓名", "身份证号", "工作单位"],
        ["改了名字", member.id_number, "新单位"],
    ]
    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)
    assert result.totals["update"] == 1
    member.refresh_from_db()
    assert (member.name, member.workplace) == ("改了名字", "新单位")

    rows = [["姓名", "手机号", "职务"], [member.name, member.mobile, "主任"]]
    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)
    assert result.totals["update"] == 1
    member.refresh_from_db()
    assert member.title == "主任"
    assert Member.objects.filter(committee=hanshan.committee, name="改了名字").count() == 1


def test_wrong_headers_name_the_missing_and_unknown_columns_and_save_nothing(register, run_import):
    hanshan = register
    before = Member.objects.count()
    rows = [["名字", "手机号", "爱好"], ["王芳", "13955510001", "读书"]]

    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)

    assert result is None
    [problem] = preview.problems()
    assert problem.row is None
    assert "名字" in problem.message and "爱好" in problem.message  # unknown
    assert "姓名" in problem.message  # missing and required
    assert Member.objects.count() == before
    # Straight to the real import: the same refusal, nothing saved.
    result = MemberResource(committee=hanshan.committee, user=hanshan.staff).import_data(
        sheet(rows)
    )
    assert result.has_errors()
    assert Member.objects.count() == before


def test_header_spellings_a_clerk_uses_are_understood(register, run_import):
    hanshan = register
    rows = [["姓 名", "手机号码", "政治面貌", "身份证号码"], ["孙丽", "13955510009", "群众", ""]]
    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)
    assert problems_of(preview) == []
    assert Member.objects.get(mobile="13955510009").party == Member.Party.MASSES


def test_an_unknown_sector_is_a_row_error_and_nothing_is_saved(register, run_import):
    hanshan = register
    before = Member.objects.count()
    rows = rows_for(hanshan)
    rows[3][2] = "航天界"  # not a sector of 含山

    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)

    assert result is None
    [(row, column, message)] = problems_of(preview)
    assert (row, column) == (4, "界别")
    assert "航天界" in message and "含山县政协" in message
    assert Member.objects.count() == before
    # The import without its preview refuses the whole file too (the two good rows included).
    result = MemberResource(committee=hanshan.committee, user=hanshan.staff).import_data(
        sheet(rows)
    )
    assert result.has_validation_errors()
    assert Member.objects.count() == before
    assert not Membership.objects.filter(member__name="王 芳").exists()


def test_another_countys_sector_and_workstation_are_not_found(register, huimin, run_import):
    hanshan = register
    rows = [
        ["姓名", "手机号", "界别", "所在工作室"],
        ["王芳", "13955510001", "医药卫生界", huimin.workstation.name],
    ]
    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)
    assert result is None
    [(row, column, message)] = problems_of(preview)
    assert (row, column) == (2, "所在工作室")
    assert huimin.workstation.name in message
    assert not Member.objects.filter(mobile="13955510001").exists()


def test_two_rows_for_the_same_member_are_an_error_not_two_members(register, run_import):
    hanshan = register
    before = Member.objects.count()
    rows = rows_for(hanshan)
    rows.append(
        ["王芳", "女", "医药卫生界", "民盟", "13900000000", "34052219800101002x", "", "", "", ""]
    )  # same ID number (lower-case x), another mobile
    rows.append(["李强", "男", "经济界", "中共党员", "13955510002", "", "", "", "", ""])

    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)

    assert result is None
    found = problems_of(preview)
    assert [(row, column) for row, column, _message in found] == [(5, ""), (6, "")]
    assert "row 2" in found[0][2] and "row 3" in found[1][2]
    assert Member.objects.count() == before


def test_a_row_taking_another_members_id_number_is_refused(register, run_import):
    hanshan = register
    rows = [["姓名", "手机号", "身份证号"], ["新人", "13955510111", hanshan.member.id_number]]
    # Matched by ID number: it *is* that member, renamed; with a different stored name + mobile
    # pair already taken by the convener, it is refused.
    rows.append([hanshan.convener.name, hanshan.convener.mobile, hanshan.member.id_number])
    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)
    assert result is None
    assert {(p.row, p.column) for p in preview.problems()} >= {(3, "")}


def test_bad_cells_are_reported_by_row_and_column(register, run_import):
    hanshan = register
    rows = [
        ["姓名", "性别", "手机号", "身份证号", "是否常委", "所在工作室", "出生年份"],
        ["甲", "不详", "139555", "12345", "也许", f"{hanshan.workstation.name}（组长）", "一九七"],
        ["", "男", "13955510001", "", "", "", ""],
    ]
    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)
    assert result is None
    columns = {(p.row, p.column) for p in preview.problems()}
    assert columns == {
        (2, "性别"),
        (2, "手机号"),
        (2, "身份证号"),
        (2, "是否常委"),
        (2, "所在工作室"),
        (2, "出生年份"),
        (3, "姓名"),
    }


def test_a_long_id_number_stored_as_a_number_is_refused(register, run_import):
    hanshan = register
    rows = [["姓名", "身份证号"], ["王芳", 340522198001010021]]
    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)
    assert result is None
    [(row, column, message)] = problems_of(preview)
    assert (row, column) == (2, "身份证号")


def test_an_empty_file_saves_nothing(register, run_import):
    hanshan = register
    before = Member.objects.count()
    # Read from an upload: refused with the reason.
    with pytest.raises(SpreadsheetError, match="no rows"):
        sheet([HEADERS])
    with pytest.raises(SpreadsheetError, match="empty"):
        read_csv(b"")
    # A dataset built in code, without rows: the same reason, as the import's problem.
    preview, result = run_import(
        MemberResource, hanshan.committee, hanshan.staff, tablib.Dataset(headers=HEADERS)
    )
    assert result is None
    [problem] = preview.problems()
    assert problem.row is None and "no rows" in problem.message
    assert Member.objects.count() == before


def test_a_row_naming_another_committee_is_refused(register, huimin, run_import):
    hanshan = register
    rows = [["姓名", "手机号", "所属政协"], ["王芳", "13955510001", huimin.committee.name]]
    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, rows)
    assert result is None
    [(row, column, message)] = problems_of(preview)
    assert row == 2 and column == "" and huimin.committee.name in message


def test_an_import_only_writes_into_a_committee_the_user_sees(register, huimin):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        MemberResource(committee=huimin.committee, user=register.staff).import_data(
            sheet([["姓名"], ["王芳"]])
        )


def test_a_csv_in_gbk_as_excel_saves_it_is_read(register, run_import):
    hanshan = register
    rows = [["姓名", "手机号", "界别"], ["周杰", "13955510021", "农业界"]]
    dataset = read_csv(csv_bytes(rows, encoding="gbk"))
    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, dataset)
    assert result.totals["new"] == 1
    assert Member.objects.get(mobile="13955510021").sector.name == "农业界"


def test_blank_rows_do_not_shift_the_row_numbers(register, run_import):
    hanshan = register
    data = xlsx_bytes([["姓名", "界别"], ["甲", "医药卫生界"], [None, None], ["乙", "无此界"]])
    preview, result = run_import(MemberResource, hanshan.committee, hanshan.staff, read_xlsx(data))
    assert [(p.row, p.column) for p in preview.problems()] == [(4, "界别")]


@pytest.mark.slow
def test_a_5000_row_sheet_imports_in_a_few_seconds(register, run_import):
    """Preview and import of 5,000 members with their places, then the same file again.

    Timed in CPU seconds of this process, so that other work on the machine does not count;
    the wall-clock times are printed beside them.
    """
    hanshan = register
    workstations = [hanshan.workstation.name, hanshan.other_workstation.name]
    rows = [HEADERS]
    for n in range(5000):
        rows.append(
            [
                f"委员{n:04d}",
                "男" if n % 2 else "女",
                ["医药卫生界", "经济界", "农业界"][n % 3],
                "无党派人士",
                f"138{n:08d}",
                f"340522199001{n:06d}",
                "单位",
                "职务",
                workstations[n % 2],
                "召集人" if n % 50 == 0 else "",
            ]
        )
    data = xlsx_bytes(rows)
    before = Member.objects.count()

    def timed(step):
        wall, cpu = time.perf_counter(), time.process_time()
        value = step()
        return value, time.process_time() - cpu, time.perf_counter() - wall

    dataset, read_cpu, read_wall = timed(lambda: read_xlsx(data))
    (preview, result), first_cpu, first_wall = timed(
        lambda: run_import(MemberResource, hanshan.committee, hanshan.staff, dataset)
    )

    assert problems_of(preview) == []
    assert result.totals["new"] == 5000
    assert Member.objects.count() == before + 5000
    assert Membership.objects.filter(member__name__startswith="委员0").count() == 1000
    assert Member.history.filter(history_change_reason=CHANGE_REASON).count() == 5000
    assert Membership.history.filter(history_change_reason=CHANGE_REASON).count() == 5000

    (preview, again), second_cpu, second_wall = timed(
        lambda: run_import(MemberResource, hanshan.committee, hanshan.staff, read_xlsx(data))
    )
    assert again.totals["skip"] == 5000
    assert Member.objects.count() == before + 5000
    print(
        f"\n5,000 members (CPU s / wall s): read .xlsx {read_cpu:.2f}/{read_wall:.2f}; "
        f"preview + import {first_cpu:.2f}/{first_wall:.2f}; "
        f"same file again {second_cpu:.2f}/{second_wall:.2f}"
    )
    assert first_cpu < 12 and second_cpu < 12


def test_a_bad_row_after_a_thousand_good_ones_still_saves_nothing(register):
    """Rows are written once the whole sheet has been read, and only if every row is good: a
    bad row 1,102 after 1,100 good ones saves nothing, though the caller did not ask for a
    rollback on validation errors."""
    hanshan = register
    before = Member.objects.count()
    rows = [["姓名", "手机号", "界别"]]
    rows += [[f"委员{n}", f"137{n:08d}", "经济界"] for n in range(1100)]
    rows.append(["最后一位", "13799999999", "无此界别"])
    result = MemberResource(committee=hanshan.committee, user=hanshan.staff).import_data(
        sheet(rows), collect_failed_rows=True
    )
    assert [(p.row, p.column) for p in result.problems()] == [(1102, "界别")]
    assert len(result.failed_dataset) == 1
    assert Member.objects.count() == before


def test_raise_errors_raises_and_saves_nothing(register):
    from import_export.exceptions import ImportError as ImportExportError

    hanshan = register
    rows = rows_for(hanshan)
    rows[2][2] = "无此界别"
    with pytest.raises(ImportExportError):
        MemberResource(committee=hanshan.committee, user=hanshan.staff).import_data(
            sheet(rows), raise_errors=True
        )
    assert not Member.objects.filter(mobile="13955510001").exists()
