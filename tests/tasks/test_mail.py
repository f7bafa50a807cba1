"""E-mails leave the request: a resident's message tells the conveners by a task that runs once
the message has committed; a mail server that hangs up is tried again, then the failure is
recorded with its traceback; a broker that refuses the task does not fail the request."""

from __future__ import annotations

import pytest
from celery import states
from django.core import mail
from django_celery_results.models import TaskResult
from kombu.exceptions import OperationalError

from consultations import tasks
from consultations.services.messages import message_create

pytestmark = pytest.mark.django_db

NOTIFY = "consultations.tasks.notify_conveners"


def _message(hanshan):
    return message_create(
        workstation=hanshan.workstation,
        mobile="13800138000",
        category="traffic",
        text="小区门口的路灯坏了两个月。",
        site_url="https://example.org/",
    )


def test_the_mail_goes_out_after_the_message_commits_and_not_before(
    hanshan, django_capture_on_commit_callbacks, task_result
):
    with django_capture_on_commit_callbacks(execute=True):
        message = _message(hanshan)
        assert mail.outbox == []
        assert not TaskResult.objects.exists()
    assert [m.to for m in mail.outbox] == [[hanshan.convener.user.email]]
    assert f"https://example.org/admin/consultations/publicmessage/{message.pk}/" in (
        mail.outbox[0].body
    )
    recorded = task_result(NOTIFY)
    assert recorded.status == states.SUCCESS
    assert recorded.result == "1"


def test_a_message_rolled_back_mails_nobody(hanshan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _message(hanshan)
    # The transaction did not commit: what was to run after it is dropped with it.
    assert mail.outbox == []
    assert not TaskResult.objects.exists()


def test_a_mail_server_that_hangs_up_is_tried_again_then_recorded_as_failed(
    hanshan, django_capture_on_commit_callbacks, refusing_mail, settings, task_result
):
    with django_capture_on_commit_callbacks(execute=True):
        _message(hanshan)
    assert refusing_mail.attempts == 1 + settings.TASK_MAX_RETRIES
    recorded = task_result(NOTIFY)
    assert recorded.status == states.FAILURE
    assert "SMTPServerDisconnected" in recorded.traceback
    assert "message_id" in recorded.task_kwargs  # what to send again is on the record


def test_a_broker_that_refuses_the_task_is_recorded_and_the_request_goes_on(
    hanshan, django_capture_on_commit_callbacks, monkeypatch, task_result
):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.notify_conveners, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        message = _message(hanshan)
    assert message.pk is not None
    recorded = task_result(NOTIFY)
    assert recorded.status == states.FAILURE
    assert "Connection refused" in recorded.result
