"""The task queue: Celery, with Redis as its broker (README "Past one machine", Task queue).

Mails, large spreadsheet imports and exports, thumbnails and the nightly housekeeping leave the
request as tasks, each defined with ``celery.shared_task`` in the ``tasks.py`` of the app that
owns the work (found by ``autodiscover_tasks``). Everything is configured from the Django
settings whose names start with ``CELERY_`` (the block at the end of ``config/settings.py``).

Without ``CELERY_BROKER_URL`` a task runs in the process that asked for it, once the
transaction that asked has committed (the call sites use ``delay_on_commit``), so ``make run``
needs nothing installed. With it, ``celery -A config worker`` runs them; the worker checks at
start that its settings are right and that every engine answers, and stops with one line
naming the variable otherwise.

Start a worker and the one beat of the cluster (the periodic housekeeping)::

    celery -A config worker --concurrency 2 --loglevel INFO
    celery -A config beat --loglevel INFO
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from celery import Celery
from celery.signals import celeryd_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("shangliang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _settings_or_stop() -> None:
    """For ``celery`` itself: read the settings now, so that a wrong one stops the command with
    the same line as ``manage.py`` and gunicorn, before Celery reads its options from them
    (and would print a traceback)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings module
    except ImproperlyConfigured as error:  # config.engines.SettingError names the variable
        sys.stderr.write(f"Shangliang cannot start: {error}\n")
        sys.stderr.flush()
        os._exit(2)


if Path(sys.argv[0]).name == "celery":
    _settings_or_stop()


def startup_failure() -> str | None:
    """Why this worker cannot work, in one line naming the variable to fix; None when its
    settings are right and the database, cache, storage and broker all answer."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as error:  # config.engines.SettingError names the variable
        return str(error)
    from config.readiness import first_failure

    failure = first_failure()
    return failure.line() if failure is not None else None


@celeryd_init.connect
def check_before_work(**kwargs) -> None:
    """Stop a worker whose settings are wrong or whose engines do not answer, before it takes
    a task: a worker that cannot deliver would otherwise take mails off the queue and fail them
    one by one. ``STARTUP_CHECKS=false`` leaves the engines unasked, as for gunicorn."""
    if os.environ.get("STARTUP_CHECKS", "true").lower() in ("0", "false", "no", "off"):
        return
    problem = startup_failure()
    if problem is not None:
        sys.stderr.write(f"Shangliang cannot start: {problem}\n")
        sys.stderr.flush()
        # os._exit: Celery's command line would turn SystemExit into its own traceback.
        os._exit(2)
