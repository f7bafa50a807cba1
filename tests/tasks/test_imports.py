"""A large import is confirmed in the request and run by a task: the previewed sheet is
imported all or nothing, through the admin's own steps, and what it did — rows new, updated and
unchanged, or the problems that stopped it, in Chinese — waits on the downloads page. A small
import stays in the request."""

from __future__ import annotations

import pytest
from celery import states
from django.contrib.admin.models import LogEntry
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse

from members.models import Member
from members.resources import MemberResource
from tests.spreadsheets import xlsx_bytes
from workstations.models import SpreadsheetJob

pytestmark = pytest.mark.django_db

IMPORT = "admin:members_member_import"
PROCESS = "admin:members_member_process_import"
PENDING = "django-import-export/"


def rows(hanshan):
    return [
        ["姓名", "性别", "界别", "手机号", "所在工作室", "角色"],
        ["王芳", "女", "医药卫生界", "13955510001", hanshan.workstation.name, "召集人"],
        ["李强", "男", "经济界", "13955510002", hanshan.other_workstation.name, ""],
        ["赵敏", "女", "经济界", "13955510003", hanshan.other_workstation.name, ""],
    ]


def preview(client, hanshan) -> dict:
    """Upload the sheet; the confirmation form's fields, as the preview page posts them."""
    upload = SimpleUploadedFile("members.xlsx", xlsx_bytes(rows(hanshan)))
    page = client.post(reverse(IMPORT), {"committee": hanshan.committee.pk, "import_file": upload})
    confirm = page.context["confirm_form"]
    assert confirm is not None, page.context["result"]
    return {name: confirm.initial[name] for name in confirm.fields if name in confirm.initial}


def pending_files() -> list[str]:
    try:
        return storages["import_export"].listdir(PENDING)[1]
    except FileNotFoundError:
        return []


@pytest.fixture
def large(settings):
    settings.IMPORT_BACKGROUND_ROWS = 2


def test_a_large_import_is_run_by_a_task_and_reported(
    register, large, login, django_capture_on_commit_callbacks, task_result
):
    hanshan = register
    client = login(hanshan.staff)
    before = set(pending_files())  # other tests' previews may be waiting in the same folder
    data = preview(client, hanshan)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(PROCESS), data)
        assert not Member.objects.filter(mobile="13955510001").exists()  # not in the request
    downloads = reverse("office:downloads", kwargs={"committee": "hanshan"})
    assert response.status_code == 302 and response["Location"] == downloads

    wang = Member.objects.get(committee=hanshan.committee, mobile="13955510001")
    assert wang.memberships.get().role == "convener"
    assert wang.history.get().history_user == hanshan.staff
    assert LogEntry.objects.filter(user=hanshan.staff, object_id=str(wang.pk)).exists()
    job = SpreadsheetJob.objects.get()
    assert job.kind == SpreadsheetJob.Kind.IMPORT and job.title == "members.xlsx"
    assert job.summary["imported"] and job.summary["new"] == 3
    assert task_result("workstations.tasks.import_sheet").status == states.SUCCESS
    # The preview's file and the task's copy are both gone.
    assert set(pending_files()) <= before

    page = client.get(downloads)
    assert "members.xlsx" in page.content.decode()
    assert page.context["lines"][0].state == "done"


def test_a_sheet_gone_bad_since_its_preview_imports_nothing_and_says_why_in_chinese(
    register, large, login, django_capture_on_commit_callbacks
):
    hanshan = register
    client = login(hanshan.staff)
    data = preview(client, hanshan)
    hanshan.other_workstation.delete()  # two rows now name a workstation that is not there
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(PROCESS), data)
    assert not Member.objects.filter(mobile__startswith="1395551").exists()  # all or nothing
    summary = SpreadsheetJob.objects.get().summary
    assert not summary["imported"] and summary["problem_count"] == 2
    assert {p["row"] for p in summary["problems"]} == {3, 4}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p["message"]) for p in summary["problems"])
    [line] = client.get(reverse("office:downloads", kwargs={"committee": "hanshan"})).context[
        "lines"
    ]
    assert line.state == "not-imported"


def test_a_database_that_fails_for_a_moment_is_tried_again(
    register, large, login, django_capture_on_commit_callbacks, monkeypatch, task_result
):
    hanshan = register
    client = login(hanshan.staff)
    data = preview(client, hanshan)
    calls = []
    original = MemberResource.before_import

    def once(self, dataset, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return original(self, dataset, **kwargs)

    monkeypatch.setattr(MemberResource, "before_import", once)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(PROCESS), data)
    assert len(calls) == 2
    assert Member.objects.filter(mobile__startswith="1395551").count() == 3
    assert task_result("workstations.tasks.import_sheet").status == states.SUCCESS


def test_a_small_import_stays_in_the_request(register, login, settings):
    hanshan = register
    client = login(hanshan.staff)
    data = preview(client, hanshan)
    response = client.post(reverse(PROCESS), data)
    assert response["Location"] == reverse("admin:members_member_changelist")
    assert Member.objects.filter(mobile__startswith="1395551").count() == 3
    assert not SpreadsheetJob.objects.exists()
