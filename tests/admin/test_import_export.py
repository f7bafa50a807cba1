"""Import and export through the real admin: preview and confirm (the pending file read back from
the shared media storage by a second request), refusals, the blank template, rights, tenancy."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member, StaffRole
from tests.factories import MemberFactory, StaffRoleFactory, UserFactory
from tests.spreadsheets import csv_bytes, xlsx_bytes
from workstations.models import Workstation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

IMPORT = "admin:members_member_import"
PROCESS = "admin:members_member_process_import"
TEMPLATE = "admin:members_member_import_template"
EXPORT = "admin:members_member_export"
CHANGELIST = "admin:members_member_changelist"


def upload(rows_or_bytes, name="members.xlsx"):
    data = (
        rows_or_bytes
        if isinstance(rows_or_bytes, bytes)
        else (csv_bytes(rows_or_bytes) if name.endswith(".csv") else xlsx_bytes(rows_or_bytes))
    )
    return SimpleUploadedFile(name, data)


def post_import(client, committee, file, **extra):
    return client.post(reverse(IMPORT), {"committee": committee.pk, "import_file": file, **extra})


def member_rows(hanshan):
    return [
        ["姓名", "性别", "界别", "手机号", "所在工作室", "角色"],
        ["王芳", "女", "医药卫生界", "13955510001", hanshan.workstation.name, "召集人"],
        ["李强", "男", "经济界", "13955510002", hanshan.other_workstation.name, ""],
    ]


def test_preview_then_confirm_from_another_request_imports_with_trace(register, english_login):
    hanshan = register
    client = english_login(hanshan.staff)
    page = client.get(reverse(IMPORT))
    assert page.status_code == 200
    assert reverse(TEMPLATE) in page.content.decode()

    preview = post_import(client, hanshan.committee, upload(member_rows(hanshan)))

    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    assert confirm is not None
    assert not Member.objects.filter(mobile="13955510001").exists()  # a preview writes nothing
    pending = confirm.initial["import_file_name"]
    # The pending file is in the shared private storage, not in this server's temp folder.
    assert storages["import_export"].exists(f"django-import-export/{pending}")

    # The confirmation may reach another app server: a fresh client, nothing in memory.
    second = english_login(hanshan.staff)
    data = {name: confirm.initial[name] for name in confirm.fields if name in confirm.initial}
    response = second.post(reverse(PROCESS), data)

    assert response.status_code == 302
    assert response.url == reverse(CHANGELIST)
    wang = Member.objects.get(committee=hanshan.committee, mobile="13955510001")
    assert wang.memberships.get().role == "convener"
    assert wang.history.get().history_user == hanshan.staff
    assert LogEntry.objects.filter(user=hanshan.staff, object_id=str(wang.pk)).exists()
    assert not storages["import_export"].exists(f"django-import-export/{pending}")


def test_the_preview_lists_every_bad_row_with_row_number_and_column(register, english_login):
    hanshan = register
    client = english_login(hanshan.staff)
    rows = member_rows(hanshan)
    rows[1][2] = "航天界"
    rows[2][4] = "不存在的工作室"

    response = post_import(client, hanshan.committee, upload(rows))

    assert response.status_code == 200
    assert not response.context.get("confirm_form")
    html = response.content.decode()
    assert "航天界" in html and "不存在的工作室" in html
    problems = [(p.row, p.column) for p in response.context["result"].problems()]
    assert problems == [(2, "界别"), (3, "所在工作室")]
    assert not Member.objects.filter(mobile__in=["13955510001", "13955510002"]).exists()
    pending = response.context["form"].cleaned_data["import_file"].tmp_storage_name
    assert not storages["import_export"].exists(f"django-import-export/{pending}")  # discarded


def test_wrong_headers_are_named_on_the_page(register, english_login):
    hanshan = register
    client = english_login(hanshan.staff)
    response = post_import(client, hanshan.committee, upload([["名字", "电话"], ["王芳", "1"]]))
    html = response.content.decode()
    assert "名字" in html and "电话" in html and "姓名" in html
    assert not response.context.get("confirm_form")


@pytest.mark.parametrize(
    "file, message",
    [
        (SimpleUploadedFile("members.xlsx", "姓名\n王芳\n".encode()), "not a valid .xlsx"),
        (SimpleUploadedFile("members.xlsx", b""), "empty"),
        (SimpleUploadedFile("members.csv", "姓名,手机号\r\n".encode()), "no rows"),
        (SimpleUploadedFile("members.txt", "姓名\n王芳\n".encode()), ".xlsx or .csv"),
        (SimpleUploadedFile("members.xlsx", b"PK\x03\x04broken"), "not a valid .xlsx"),
    ],
    ids=["text-renamed-xlsx", "empty", "headers-only", "wrong-ending", "broken-zip"],
)
def test_unreadable_files_get_a_clear_message_not_a_500(register, english_login, file, message):
    hanshan = register
    client = english_login(hanshan.staff)
    before = Member.objects.count()
    response = post_import(client, hanshan.committee, file)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not response.context.get("confirm_form")
    assert Member.objects.count() == before


def test_an_upload_over_the_size_limit_is_refused(register, english_login, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    hanshan = register
    client = english_login(hanshan.staff)
    rows = [["姓名", "个人简介"]] + [[f"委员{n}", "简介" * 200] for n in range(1000)]
    file = upload(rows, "members.csv")
    assert file.size > 1024 * 1024
    response = post_import(client, hanshan.committee, file)
    assert response.status_code == 200
    assert "up to 1 MB" in response.content.decode()
    assert not Member.objects.filter(name="委员1").exists()


def test_the_committee_is_one_the_user_may_see(register, huimin, english_login, city_staff):
    hanshan = register
    # County staff cannot import into another county, even by forging the form.
    client = english_login(hanshan.staff)
    response = post_import(client, huimin.committee, upload(member_rows(hanshan)))
    assert response.status_code == 200
    assert "committee" in response.context["form"].errors
    # City staff choose among the city and the counties below it.
    client = english_login(city_staff)
    form = client.get(reverse(IMPORT)).context["form"]
    assert set(form.fields["committee"].queryset) == {hanshan.committee, hanshan.committee.parent}
    response = post_import(client, hanshan.committee, upload(member_rows(hanshan)))
    assert response.context["confirm_form"] is not None


def test_a_forged_committee_in_the_confirmation_is_refused(register, huimin, english_login):
    hanshan = register
    client = english_login(hanshan.staff)
    preview = post_import(client, hanshan.committee, upload(member_rows(hanshan)))
    confirm = preview.context["confirm_form"]
    data = {name: confirm.initial[name] for name in confirm.fields if name in confirm.initial}
    data["committee"] = huimin.committee.pk
    response = client.post(reverse(PROCESS), data)
    assert response.status_code == 200
    assert not Member.objects.filter(mobile="13955510001").exists()


def test_the_blank_templates(register, english_login):
    hanshan = register
    client = english_login(hanshan.staff)
    response = client.get(reverse(TEMPLATE), {"format": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in book.worksheets[0][1]]
    assert headers[:3] == ["姓名", "性别", "出生年份"]
    assert "所属政协" not in headers  # export only
    assert book.worksheets[1].title == "说明"
    assert [row[0] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)] == headers

    response = client.get(reverse(TEMPLATE), {"format": "csv"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == headers


def test_the_filled_in_template_imports(register, english_login):
    hanshan = register
    client = english_login(hanshan.staff)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse(TEMPLATE)).content))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    sheet.append([{"姓名": "钱进", "手机号": "13955510077"}.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    response = post_import(client, hanshan.committee, upload(out.getvalue()))
    assert response.context["confirm_form"] is not None


def test_without_import_right_no_button_and_403(register, reader_staff, english_login):
    hanshan = register
    clerk = StaffRoleFactory(
        user=UserFactory(username="hanshan_clerk", is_staff=True),
        committee=hanshan.committee,
        role=StaffRole.Role.CLERK,
        can_import=False,
        can_export=True,
    ).user
    client = english_login(clerk)
    changelist = client.get(reverse(CHANGELIST)).content.decode()
    assert reverse(IMPORT) not in changelist
    assert reverse(EXPORT) in changelist
    assert client.get(reverse(IMPORT)).status_code == 403
    assert client.post(reverse(IMPORT), {}).status_code == 403
    assert client.post(reverse(PROCESS), {}).status_code == 403
    assert client.get(reverse(TEMPLATE)).status_code == 403
    assert client.get(reverse(EXPORT)).status_code == 200

    client = english_login(reader_staff)  # neither right
    changelist = client.get(reverse(CHANGELIST)).content.decode()
    assert reverse(IMPORT) not in changelist and reverse(EXPORT) not in changelist
    assert client.get(reverse(EXPORT)).status_code == 403
    assert client.get(reverse(IMPORT)).status_code == 403

    client = english_login(hanshan.staff)  # both
    changelist = client.get(reverse(CHANGELIST)).content.decode()
    assert reverse(IMPORT) in changelist and reverse(EXPORT) in changelist


@pytest.mark.parametrize(
    "model",
    ["workstations_workstation", "members_member", "consultations_activity", "outcomes_outcome"],
)
def test_every_register_has_import_export_and_template(register, english_login, model):
    client = english_login(register.staff)
    for view in ("import", "export"):
        assert client.get(reverse(f"admin:{model}_{view}")).status_code == 200
    response = client.get(reverse(f"admin:{model}_import_template"))
    assert response.status_code == 200


def export_members(client, file_format: str):
    form = client.get(reverse(EXPORT)).context["form"]
    formats = dict(form.fields["format"].choices)
    index = next(i for i, title in formats.items() if title == file_format)
    data = {"format": index, "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("memberresource_")})
    return client.post(reverse(EXPORT), data)


def test_export_is_what_the_user_may_see(register, huimin, english_login):
    hanshan = register
    response = export_members(english_login(hanshan.staff), "csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    text = response.content.decode("utf-8-sig")
    assert hanshan.member.name in text and hanshan.convener.name in text
    assert huimin.member.name not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "姓名" and "所在工作室" in rows[0] and "角色" not in rows[0]
    convener = next(r for r in rows if r[0] == hanshan.convener.name)
    assert f"{hanshan.workstation.name}（召集人）" in convener


def test_export_then_import_changes_nothing(register, english_login):
    hanshan = register
    client = english_login(hanshan.staff)
    response = export_members(client, "xlsx")
    history = Member.history.count()
    preview = post_import(client, hanshan.committee, upload(response.content))
    result = preview.context["result"]
    assert result.problems() == []
    assert result.totals["skip"] == Member.objects.filter(committee=hanshan.committee).count()
    assert result.totals["new"] == result.totals["update"] == 0
    assert Member.history.count() == history


def test_export_neutralises_formulas_in_the_admin_download(register, english_login):
    hanshan = register
    MemberFactory(
        committee=hanshan.committee,
        name='=HYPERLINK("http://evil","点我")',
        workplace="+1+1",
        title="-2+3",
        expertise="@SUM(A1)",
        mobile="-123",
        public_bio="\t=1",
        birth_year=1975,
    )
    client = english_login(hanshan.staff)
    text = export_members(client, "csv").content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if "HYPERLINK" in r[0])
    assert row[0].startswith("'=") and "'+1+1" in row and "'-2+3" in row
    assert "'@SUM(A1)" in row and "'-123" in row and "'\t=1" in row and "1975" in row
    book = openpyxl.load_workbook(io.BytesIO(export_members(client, "xlsx").content))
    sheet = book.worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(r[0].value))
    assert all(cell.data_type != "f" for cell in row)
    assert row[0].value.startswith("'=")
    birth_year = next(c for c in row if c.value == 1975)
    assert birth_year.data_type == "n"  # a real number stays a number


def test_workstation_import_through_the_admin(register, english_login):
    hanshan = register
    client = english_login(hanshan.staff)
    rows = [
        ["名称", "类型", "类别", "所属区域"],
        ["城关委员工作室", "委员工作室", "区域", "城关镇"],
    ]
    preview = client.post(
        reverse("admin:workstations_workstation_import"),
        {"committee": hanshan.committee.pk, "import_file": upload(rows, "ws.xlsx")},
    )
    confirm = preview.context["confirm_form"]
    data = {name: confirm.initial[name] for name in confirm.fields if name in confirm.initial}
    response = client.post(reverse("admin:workstations_workstation_process_import"), data)
    assert response.status_code == 302
    workstation = Workstation.objects.get(committee=hanshan.committee, name="城关委员工作室")
    assert workstation.area.name == "城关镇"
    assert workstation.slug == "chengguanweiyuangongzuoshi"


def test_a_register_changed_since_the_preview_makes_the_confirmation_save_nothing(
    register, english_login
):
    hanshan = register
    client = english_login(hanshan.staff)
    preview = post_import(client, hanshan.committee, upload(member_rows(hanshan)))
    confirm = preview.context["confirm_form"]
    data = {name: confirm.initial[name] for name in confirm.fields if name in confirm.initial}
    # Meanwhile someone renames the workstation the sheet names.
    hanshan.other_workstation.name = "改名后的工作室"
    hanshan.other_workstation.save()

    response = client.post(reverse(PROCESS), data, follow=True)

    assert response.redirect_chain[-1][0] == reverse(IMPORT)
    message = str(list(response.context["messages"])[0])
    assert "Nothing was imported" in message and "row 3" in message
    assert not Member.objects.filter(mobile__in=["13955510001", "13955510002"]).exists()


def test_activity_import_through_the_admin_logs_the_activities_it_wrote(register, english_login):
    from consultations.models import Activity

    hanshan = register
    client = english_login(hanshan.staff)
    rows = [
        ["工作室", "活动类型", "标题", "日期", "参与委员", "活动内容"],
        [
            hanshan.workstation.name,
            "微宣讲",
            "医保政策进社区",
            "2024-05-01",
            hanshan.member.name,
            "宣讲",
        ],
    ]
    preview = client.post(
        reverse("admin:consultations_activity_import"),
        {"committee": hanshan.committee.pk, "import_file": upload(rows, "ledger.xlsx")},
    )
    confirm = preview.context["confirm_form"]
    data = {name: confirm.initial[name] for name in confirm.fields if name in confirm.initial}
    response = client.post(reverse("admin:consultations_activity_process_import"), data)
    assert response.status_code == 302
    activity = Activity.objects.get(workstation=hanshan.workstation, title="医保政策进社区")
    assert activity.status == Activity.Status.APPROVED
    assert list(activity.participants.all()) == [hanshan.member]
    assert LogEntry.objects.filter(user=hanshan.staff, object_id=str(activity.pk)).exists()
