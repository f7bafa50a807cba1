"""Tasks of the organisation's app — the spreadsheets written and read in the background and
the nightly purges — and what the tasks of every app share: which errors are worth another try,
how often and how late (``RETRY``), and ``enqueue_on_commit``.

A task runs on a Celery worker (``CELERY_BROKER_URL``) or, without a broker, in the process
that asked for it; either way only once the transaction that asked has committed, so that it
never reads rows that may still be rolled back. Each task's outcome, and the traceback of a
failure, is kept in ``django_celery_results.TaskResult`` (the admin's "Task results").
"""

from __future__ import annotations

import logging
import smtplib
import uuid

import botocore.exceptions
import redis.exceptions
from celery import shared_task, states
from celery.app.task import Context
from django.conf import settings
from django.db import OperationalError, transaction

logger = logging.getLogger(__name__)

# Errors that a later try may not meet: a mail server, a database, a cache or a bucket that
# does not answer for the moment. Anything else (a bug, a missing row) fails at once.
TRANSIENT_ERRORS = (
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
    OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    botocore.exceptions.ConnectionError,
    botocore.exceptions.HTTPClientError,
)

# Another try after about TASK_RETRY_BACKOFF_SECONDS, then twice as long each time (with
# jitter, at most 10 minutes), TASK_MAX_RETRIES times; then the task is recorded as failed.
# Without a broker the tries follow one another at once.
RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": settings.TASK_RETRY_BACKOFF_SECONDS,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": settings.TASK_MAX_RETRIES,
}

# The spreadsheets of a province take minutes, not the seconds of a mail.
SPREADSHEET_LIMITS = {"soft_time_limit": 25 * 60, "time_limit": 30 * 60}


def enqueue_on_commit(task, *, kwargs: dict, task_id: str | None = None, on_error=None) -> str:
    """Send ``task`` with ``kwargs`` once the current transaction commits; returns its id.

    A broker that refuses the task at that moment does not fail the request that has already
    committed: the refusal is logged and recorded as the task's failure (so superusers see it
    among the task results), and ``on_error()``, if given, undoes what assumed the task would
    run (a reminder logged as sent is logged no more, and goes out with the next run).
    """
    task_id = task_id or str(uuid.uuid4())

    def send() -> None:
        try:
            task.apply_async(kwargs=kwargs, task_id=task_id)
        except Exception as error:  # noqa: BLE001 - any refusal: the broker, the network
            logger.exception("Could not enqueue %s[%s]", task.name, task_id)
            task.backend.store_result(
                task_id,
                error,
                states.FAILURE,
                request=Context(task=task.name, args=[], kwargs=kwargs, id=task_id),
            )
            if on_error is not None:
                on_error()

    transaction.on_commit(send)
    return task_id


# --- Spreadsheets ------------------------------------------------------------------------------


@shared_task(**RETRY, **SPREADSHEET_LIMITS)
def export_register(*, job_id: int, model: str, params: dict, file_format: str) -> str:
    """Write a register's list (its changelist's filters and search, as ``params``) into the
    private storage for the staff member who asked; returns the file's name."""
    from .spreadsheets.jobs import job_export_register

    return job_export_register(job_id=job_id, model=model, params=params, file_format=file_format)


@shared_task(**RETRY, **SPREADSHEET_LIMITS)
def import_sheet(*, job_id: int, model: str, confirm: dict) -> dict:
    """Import a previewed sheet (its pending file, named in the confirmation ``confirm``) into
    its register, all or nothing; returns what it did."""
    from .spreadsheets.jobs import job_import_sheet

    return job_import_sheet(job_id=job_id, model=model, confirm=confirm)


# --- Housekeeping (Celery beat, CELERY_BEAT_SCHEDULE) -------------------------------------------


@shared_task(**RETRY)
def purge_import_files() -> None:
    """``manage.py purge_import_files``: previews never confirmed, after a day."""
    from django.core.management import call_command

    call_command("purge_import_files")


@shared_task(**RETRY)
def purge_spreadsheet_jobs() -> int:
    """The background exports and imports older than ``EXPORT_KEEP_DAYS``, with their files."""
    from .spreadsheets.jobs import jobs_purge

    return jobs_purge()
