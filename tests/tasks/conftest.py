"""Fixtures of the task tests: tasks run in the test's process (CELERY_TASK_ALWAYS_EAGER, as
without a broker), after the test's transaction "commits" (django_capture_on_commit_callbacks),
and are recorded in django_celery_results' table as on a worker."""

from __future__ import annotations

import pytest
from django_celery_results.models import TaskResult

from .mailers import RefusingBackend


@pytest.fixture
def refusing_mail(settings):
    """Every mail meets a server that hangs up; ``refusing_mail.attempts`` counts the tries."""
    settings.EMAIL_BACKEND = "tests.tasks.mailers.RefusingBackend"
    RefusingBackend.attempts = 0
    yield RefusingBackend
    RefusingBackend.attempts = 0


@pytest.fixture
def task_result():
    """task_result(name) → the one recorded outcome of the task named ``name``."""

    def _get(name: str) -> TaskResult:
        return TaskResult.objects.get(task_name=name)

    return _get
