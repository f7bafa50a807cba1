"""A long list from the back office and a province's office workbook are written by a task into
the private storage; the downloads page lists each for the staff member who asked, with its
link, and nobody else may see it there or fetch it."""

from __future__ import annotations

import io

import pytest
from celery import states
from django.core.files.storage import storages
from django.urls import reverse
from openpyxl import load_workbook

from outcomes import exports, rhythm
from tests.factories import WorkstationFactory
from workstations.models import SpreadsheetJob

pytestmark = pytest.mark.django_db

STREAM = "admin:workstations_workstation_stream_export"


def downloads_url(slug="hanshan") -> str:
    return reverse("office:downloads", kwargs={"committee": slug})


def workbook_text(name_or_file) -> str:
    if isinstance(name_or_file, str):
        with storages["private"].open(name_or_file, "rb") as stored:
            name_or_file = io.BytesIO(stored.read())
    book = load_workbook(name_or_file, read_only=True)
    return "\n".join(
        str(v)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
    )


@pytest.fixture
def long_list(hanshan, huimin, settings):
    """A register longer than the limit: 含山's three workstations against a limit of two."""
    settings.EXPORT_BACKGROUND_ROWS = 2
    WorkstationFactory(committee=hanshan.committee, name="含山县政协第三委员工作室")
    return hanshan


def test_a_long_list_is_written_by_a_task_into_the_private_storage(
    long_list, huimin, login, django_capture_on_commit_callbacks, task_result
):
    client = login(long_list.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse(STREAM))
        assert not SpreadsheetJob.objects.get().finished_at  # asked, not yet written
    assert response.status_code == 302
    assert response["Location"] == downloads_url()

    job = SpreadsheetJob.objects.get()
    assert job.requested_by == long_list.staff and job.kind == SpreadsheetJob.Kind.EXPORT
    assert job.file.startswith(f"exports/{job.task_id}/") and job.file.endswith(".xlsx")
    text = workbook_text(job.file)
    assert "含山县政协第三委员工作室" in text and long_list.workstation.name in text
    assert huimin.workstation.name not in text
    assert task_result("workstations.tasks.export_register").status == states.SUCCESS


def test_the_list_follows_the_changelists_search_and_may_be_csv(
    long_list, login, django_capture_on_commit_callbacks, settings
):
    settings.EXPORT_BACKGROUND_ROWS = 0
    client = login(long_list.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse(STREAM), {"q": "第三", "format": "csv"})
    job = SpreadsheetJob.objects.get()
    with storages["private"].open(job.file, "rb") as stored:
        text = stored.read().decode("utf-8-sig")
    assert job.file.endswith(".csv")
    assert "含山县政协第三委员工作室" in text
    assert long_list.workstation.name not in text


def test_a_short_list_is_still_sent_at_once(hanshan, login):
    response = login(hanshan.staff).get(reverse(STREAM))
    assert response.status_code == 200
    assert not SpreadsheetJob.objects.exists()


def test_the_downloads_page_lists_the_workbook_for_its_owner_only(
    long_list, city_staff, login, django_capture_on_commit_callbacks
):
    owner = login(long_list.staff)
    with django_capture_on_commit_callbacks(execute=True):
        owner.get(reverse(STREAM))
    job = SpreadsheetJob.objects.get()
    link = reverse("private_file", kwargs={"name": job.file})

    page = owner.get(downloads_url())
    assert page.status_code == 200
    assert job.title in page.content.decode() and link in page.content.decode()
    [line] = page.context["lines"]
    assert line.state == "done"
    fetched = owner.get(link)
    assert fetched.status_code == 302
    assert owner.get(fetched["Location"]).status_code == 200

    # Staff of the city above see 含山's register, but not what 含山's staff asked for.
    other = login(city_staff)
    page = other.get(downloads_url("maanshan"))
    assert job.title not in page.content.decode()
    assert other.get(link).status_code == 404


def test_the_changelist_links_the_downloads_page(hanshan, login):
    page = login(hanshan.staff).get(reverse("admin:workstations_workstation_changelist"))
    assert downloads_url() in page.content.decode()


def test_a_provinces_rhythm_workbook_is_written_by_a_task(
    hanshan, city_staff, login, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_WORKSTATIONS = 1
    client = login(city_staff)
    url = reverse("office:board_xlsx", kwargs={"committee": "maanshan"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url, {"year": 2025})
    assert response.status_code == 302
    assert response["Location"] == downloads_url("maanshan")
    job = SpreadsheetJob.objects.get()
    city = hanshan.committee.parent
    assert job.committee == city
    # The same workbook as a county's, sent at once.
    same = exports.rhythm_workbook(rhythm.rhythm_board(city, 2025))
    assert workbook_text(job.file) == workbook_text(io.BytesIO(same))
    assert job.title in client.get(downloads_url("maanshan")).content.decode()


def test_a_provinces_statistics_workbook_is_written_by_a_task(
    hanshan, city_staff, login, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_WORKSTATIONS = 1
    client = login(city_staff)
    url = reverse("office:statistics", kwargs={"committee": "maanshan"})
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url, {"year": 2025})
    job = SpreadsheetJob.objects.get()
    assert job.file.endswith(".xlsx")
    assert hanshan.committee.name in workbook_text(job.file)


def test_a_failed_export_shows_on_the_owners_page_with_its_error(
    long_list, login, django_capture_on_commit_callbacks, monkeypatch
):
    from workstations.spreadsheets import streaming

    def broken(*args, **kwargs):
        raise ConnectionError("the bucket does not answer")

    monkeypatch.setattr(streaming, "write_file", broken)
    client = login(long_list.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse(STREAM))
    [line] = client.get(downloads_url()).context["lines"]
    assert line.state == "failed"
    assert "ConnectionError: the bucket does not answer" in line.error
