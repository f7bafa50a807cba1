"""Spreadsheets written and read by a task (``SpreadsheetJob``): a register's list too long to
send while the request waits, an import too long to run while it waits, an office workbook of a
province.

The request records the job and enqueues its task (``job_start``); the task does the work with
the same code the request would have run — the admin's export queryset and the streamed
writers (``streaming.write_file``) for a list, django-import-export's own steps for an import —
in the language the staff member used, and records what came of it (``job_finish``). A written
workbook goes into the private storage under ``exports/``, and only the staff member who asked
may fetch it (``job_file_readable_by``, the private-file rule of that folder).
"""

from __future__ import annotations

import datetime
import tempfile
import uuid
from collections.abc import Mapping

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files import File
from django.core.files.storage import storages
from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation
from django.utils.translation import get_language

from ..models import Committee, SpreadsheetJob

EXPORTS_FOLDER = "exports/"
# An import's summary lists this many problems; the count says how many there were in all.
SUMMARY_PROBLEMS = 50


def job_start(
    *,
    kind: str,
    title: str,
    requested_by,
    committee: Committee | None,
    task,
    kwargs: Mapping | None = None,
) -> SpreadsheetJob:
    """Record a job for ``requested_by`` and enqueue ``task`` with ``job_id`` (and ``kwargs``)
    once the transaction commits. The job's ``task_id`` is the task's, so the page that lists
    jobs finds each one's state among the task results."""
    from ..tasks import enqueue_on_commit

    job = SpreadsheetJob(
        task_id=str(uuid.uuid4()),
        kind=kind,
        title=title[:255],
        committee=committee,
        requested_by=requested_by,
        language=get_language() or settings.LANGUAGE_CODE,
    )
    job.full_clean(exclude=["requested_by", "committee"])
    job.save()
    enqueue_on_commit(task, kwargs={**(kwargs or {}), "job_id": job.pk}, task_id=job.task_id)
    return job


def job_finish(*, job: SpreadsheetJob, file: str = "", summary: dict | None = None) -> None:
    """Record what the job's task made: the workbook's name, or what an import did."""
    job.file = file
    job.summary = summary or {}
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "summary", "finished_at"])


def job_save_workbook(*, job: SpreadsheetJob, content: File) -> str:
    """Store a job's workbook in the private storage, under ``exports/<task id>/<title>``, and
    record it; returns its name there."""
    name = storages["private"].save(f"{EXPORTS_FOLDER}{job.task_id}/{job.title}", content)
    job_finish(job=job, file=name)
    return name


def job_file_readable_by(user, name: str) -> bool:
    """The private-file rule of ``exports/``: a workbook is for the staff member who asked."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        return False
    return SpreadsheetJob.objects.filter(requested_by=user, file=name).exists()


def jobs_purge(*, older_than: datetime.timedelta | None = None) -> int:
    """Delete the jobs asked for more than ``EXPORT_KEEP_DAYS`` ago, and their workbooks (a
    register's export holds ID numbers and mobiles: it is not kept longer than it is needed);
    returns how many."""
    older_than = older_than or datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)
    stale = list(SpreadsheetJob.objects.filter(created_at__lt=timezone.now() - older_than))
    storage = storages["private"]
    for job in stale:
        if job.file:
            storage.delete(job.file)
    SpreadsheetJob.objects.filter(pk__in=[job.pk for job in stale]).delete()
    return len(stale)


# --- The tasks' work ---------------------------------------------------------------------------


def request_as(user, *, get: Mapping | None = None, post: Mapping | None = None) -> HttpRequest:
    """A request of ``user`` carrying ``get`` and ``post`` (name → list of values), for the
    admin's hooks that a task calls as the request would have: the changelist's filters and
    search, the import's confirmation form, the rights of the user."""
    request = HttpRequest()
    request.method = "POST" if post is not None else "GET"
    request.user = user
    request.META["SERVER_NAME"] = "localhost"
    request.META["SERVER_PORT"] = "80"
    for target, values in (("GET", get), ("POST", post)):
        query = QueryDict(mutable=True)
        for key, value in (values or {}).items():
            query.setlist(key, value if isinstance(value, list | tuple) else [value])
        query._mutable = False
        setattr(request, target, query)
    return request


def _model_admin(model: str):
    return admin.site.get_model_admin(apps.get_model(model))


def job_export_register(*, job_id: int, model: str, params: Mapping, file_format: str) -> str:
    """Write the list of register ``model`` as its changelist showed it with ``params`` to the
    staff member who asked, into the private storage; returns the file's name there."""
    job = SpreadsheetJob.objects.select_related("requested_by").get(pk=job_id)
    request = request_as(job.requested_by, get=params)
    with translation.override(job.language), tempfile.TemporaryFile() as out:
        _model_admin(model).write_export(request, file_format, out)
        out.seek(0)
        return job_save_workbook(job=job, content=File(out, name=job.title))


def job_import_sheet(*, job_id: int, model: str, confirm: Mapping) -> dict:
    """Import the pending sheet named in ``confirm`` (the confirmation form's fields) into
    register ``model`` as the staff member who asked, all or nothing; returns the summary."""
    job = SpreadsheetJob.objects.select_related("requested_by").get(pk=job_id)
    request = request_as(job.requested_by, post=confirm)
    with translation.override(job.language):
        summary = _model_admin(model).import_queued(request)
    job_finish(job=job, summary=summary)
    return summary


def import_summary(result) -> dict:
    """What an import did, for the downloads page: rows new, updated and unchanged, or, when
    nothing was written, the problems by spreadsheet row (``SheetResult.problems``)."""
    from import_export.results import RowResult

    problems = result.problems() if hasattr(result, "problems") else []
    return {
        "imported": not (result.has_errors() or result.has_validation_errors()),
        "new": result.totals[RowResult.IMPORT_TYPE_NEW],
        "updated": result.totals[RowResult.IMPORT_TYPE_UPDATE],
        "skipped": result.totals[RowResult.IMPORT_TYPE_SKIP],
        "problem_count": len(problems),
        "problems": [
            {"row": p.row, "column": p.column, "message": p.message}
            for p in problems[:SUMMARY_PROBLEMS]
        ],
    }


def refused_summary(message: str) -> dict:
    """The summary of an import that was not even tried (the right or the committee gone)."""
    return {
        "imported": False,
        "new": 0,
        "updated": 0,
        "skipped": 0,
        "problem_count": 1,
        "problems": [{"row": None, "column": "", "message": message}],
    }
