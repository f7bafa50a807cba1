"""Tasks of the outcomes' app: the rhythm reminders (the daily run and each mail), the nightly
check of the figures, and the office's workbooks of a city or a province.

Each mail is tried again while the mail server does not answer (``workstations.tasks.RETRY``);
one that fails to the last try is recorded as failed, with the traceback, and its reminder is
logged as sent no more, so that the next daily run sends it.
"""

from __future__ import annotations

import io

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from workstations.tasks import RETRY, SPREADSHEET_LIMITS


class ReminderTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """After the last try: the reminder was not sent, so it is not logged as sent."""
        from .reminders import reminders_unlog

        reminders_unlog(log_ids=kwargs.get("log_ids") or [])


@shared_task(base=ReminderTask, **RETRY)
def send_reminder(
    *, subject: str, body: str, from_email: str, recipients: list[str], log_ids: list[int]
) -> int:
    """Send one workstation's reminder to its conveners; returns how many addresses."""
    from django.core.mail import EmailMessage

    EmailMessage(subject, body, from_email, recipients).send()
    return len(recipients)


@shared_task(**RETRY)
def send_rhythm_reminders() -> int:
    """``manage.py send_rhythm_reminders``, every county, today (Celery beat, 08:30)."""
    from django.utils import timezone

    from workstations.models import Committee

    from .reminders import send_rhythm_reminders as send

    counties = Committee.objects.filter(level=Committee.Level.COUNTY)
    return len(send(committees=counties, today=timezone.localdate()))


class FiguresDiffer(RuntimeError):
    """The figures' summary differs from a count of the records (run rebuild_figures)."""


@shared_task(soft_time_limit=25 * 60, time_limit=30 * 60)
def check_figures() -> str:
    """``manage.py check_figures``: recorded as failed, with the differences, when the summary
    the pages read differs from the records."""
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_figures", stdout=out, stderr=err)
    except SystemExit as stop:  # the command's exit status 1, meant for cron
        if stop.code:
            raise FiguresDiffer(f"{err.getvalue().strip()}\n{out.getvalue()}") from None
    return out.getvalue().strip()


@shared_task(**RETRY, **SPREADSHEET_LIMITS)
def write_office_workbook(
    *,
    job_id: int,
    workbook: str,
    committee_id: int,
    year: int,
    workstation_ids: list[int] | None = None,
    month: int | None = None,
) -> str:
    """Write an office workbook ("statistics": the yearly statistics; "rhythm": the rhythm
    board, of ``workstation_ids`` if the board was filtered; "ledger": every workstation's
    activity ledger of ``month``) into the private storage for the staff member who asked;
    returns the file's name there."""
    from django.core.files.base import ContentFile
    from django.utils import translation

    from workstations.models import Committee, SpreadsheetJob, Workstation
    from workstations.spreadsheets.jobs import job_save_workbook

    from . import exports, rhythm

    job = SpreadsheetJob.objects.get(pk=job_id)
    committee = Committee.objects.get(pk=committee_id)
    with translation.override(job.language):
        if workbook == "statistics":
            content = exports.yearly_statistics(committee, year)
        elif workbook == "ledger":
            content = exports.committee_ledger(committee, year, month)
        else:
            workstations = None
            if workstation_ids is not None:
                workstations = Workstation.objects.for_committee(committee).filter(
                    pk__in=workstation_ids
                )
            board = rhythm.rhythm_board(committee, year, workstations=workstations)
            content = exports.rhythm_workbook(board)
    return job_save_workbook(job=job, content=ContentFile(content, name=job.title))
