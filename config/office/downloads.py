"""The downloads page: the exports and imports done for this staff member in the background
(``workstations.SpreadsheetJob``), each with its state — waiting, running, being tried again,
done with its workbook or its result, failed with the error — read from its task's record
(``django_celery_results.TaskResult``), and the rule that a workbook is for the one who asked.

Its jobs are the account's own, whichever committee they were for: the page hangs under the
committee only for the office's header. A superuser sees every task, failed or not, in the
admin's "Task results".
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from celery import states
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_celery_results.models import TaskResult

from config.files import private_rule, private_url
from workstations.models import Committee, SpreadsheetJob
from workstations.spreadsheets import jobs

from .access import office_view

# The page lists the latest jobs; older ones are purged after EXPORT_KEEP_DAYS anyway.
SHOWN = 50

QUEUED, RUNNING, RETRYING, DONE, NOT_IMPORTED, FAILED = (
    "queued",
    "running",
    "retrying",
    "done",
    "not-imported",
    "failed",
)
STATE_LABELS = {
    QUEUED: _("Waiting"),
    RUNNING: _("Running"),
    RETRYING: _("Being tried again"),
    DONE: _("Done"),
    NOT_IMPORTED: _("Nothing imported"),
    FAILED: _("Failed"),
}

private_rule(jobs.EXPORTS_FOLDER)(jobs.job_file_readable_by)


@dataclass(frozen=True)
class JobLine:
    job: SpreadsheetJob
    state: str
    url: str = ""
    error: str = ""

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def _error(result: TaskResult) -> str:
    """What went wrong, in one line: the exception's type and message."""
    try:
        failure = json.loads(result.result or "{}")
    except ValueError:
        failure = {}
    if isinstance(failure, dict) and failure.get("exc_type"):
        message = failure.get("exc_message") or ""
        if isinstance(message, list | tuple):
            message = " ".join(str(m) for m in message)
        return f"{failure['exc_type']}: {message}".rstrip(": ")
    lines = [line for line in (result.traceback or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _line(job: SpreadsheetJob, result: TaskResult | None) -> JobLine:
    if job.finished_at is not None:
        if job.kind == SpreadsheetJob.Kind.EXPORT:
            return JobLine(job, DONE, url=private_url(job.file) if job.file else "")
        return JobLine(job, DONE if job.summary.get("imported") else NOT_IMPORTED)
    status = result.status if result is not None else states.PENDING
    if status == states.FAILURE:
        return JobLine(job, FAILED, error=_error(result))
    if status == states.RETRY:
        return JobLine(job, RETRYING, error=_error(result))
    if status == states.STARTED:
        return JobLine(job, RUNNING)
    return JobLine(job, QUEUED)


def job_lines(user) -> list[JobLine]:
    """The account's latest jobs with their states: two queries, whatever their number."""
    own = list(SpreadsheetJob.objects.requested_by(user).select_related("committee")[:SHOWN])
    results = {
        r.task_id: r
        for r in TaskResult.objects.filter(task_id__in=[j.task_id for j in own]).only(
            "task_id", "status", "result", "traceback"
        )
    }
    return [_line(job, results.get(job.task_id)) for job in own]


def is_large(workstations) -> bool:
    """Whether an office workbook of these workstations is written by a task: more than
    ``EXPORT_BACKGROUND_WORKSTATIONS`` (a province's, not a county's)."""
    limit = settings.EXPORT_BACKGROUND_WORKSTATIONS
    return workstations[: limit + 1].count() > limit


def queue_workbook(
    request: HttpRequest,
    committee: Committee,
    *,
    workbook: str,
    year: int,
    title: str,
    workstation_ids: list[int] | None = None,
    month: int | None = None,
) -> HttpResponse:
    """Have an office workbook ("statistics", "rhythm", "ledger" of a ``month``) written by a
    task, and send the staff member to the downloads page, where it will wait."""
    from outcomes.tasks import write_office_workbook

    kwargs = {
        "workbook": workbook,
        "committee_id": committee.pk,
        "year": year,
        "workstation_ids": workstation_ids,
    }
    if month is not None:
        kwargs["month"] = month
    jobs.job_start(
        kind=SpreadsheetJob.Kind.EXPORT,
        title=title,
        requested_by=request.user,
        committee=committee,
        task=write_office_workbook,
        kwargs=kwargs,
    )
    messages.info(
        request,
        gettext("The workbook is being written in the background; it will be listed here."),
    )
    return redirect("office:downloads", committee=committee.slug)


@office_view
def downloads(request: HttpRequest, committee: Committee) -> HttpResponse:
    lines = job_lines(request.user)
    return render(
        request,
        "office/downloads.html",
        {
            "section": "downloads",
            "lines": lines,
            # While something is under way the page looks again by itself.
            "under_way": any(line.state in (QUEUED, RUNNING, RETRYING) for line in lines),
        },
    )
