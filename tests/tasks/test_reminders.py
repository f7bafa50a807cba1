"""Each rhythm reminder is a mail task sent once the run's log has committed; one the mail
server refuses to the last try is recorded as failed and logged as sent no more, so the next
daily run sends it."""

from __future__ import annotations

import datetime

import pytest
from celery import states
from django.core import mail

from outcomes.models import ReminderLog, Requirement
from outcomes.reminders import send_rhythm_reminders
from tests.factories import ActivityFactory
from workstations.models import Committee

pytestmark = pytest.mark.django_db
APRIL_21 = datetime.date(2025, 4, 21)
SEND = "outcomes.tasks.send_reminder"


@pytest.fixture
def county(hanshan):
    Requirement.objects.create(
        committee=hanshan.committee,
        name="一月一活动",
        period=Requirement.Period.MONTH,
        counts=Requirement.Counts.ACTIVITY,
        effective_from=datetime.date(2025, 1, 1),
        reminder_day=20,
    )
    ActivityFactory(workstation=hanshan.workstation, date=datetime.date(2025, 3, 5))
    return hanshan


def _run():
    return send_rhythm_reminders(
        committees=Committee.objects.filter(level=Committee.Level.COUNTY), today=APRIL_21
    )


def test_each_reminder_is_mailed_by_a_task_after_the_log_commits(
    county, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminders = _run()
        assert mail.outbox == []
        assert ReminderLog.objects.count() == 2
    assert len(reminders) == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "hanshan_convener@example.org",
        "hanshan_other@example.org",
    ]


def test_a_reminder_that_fails_to_the_last_try_goes_out_with_the_next_run(
    county, django_capture_on_commit_callbacks, refusing_mail, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    assert refusing_mail.attempts == 2 * (1 + settings.TASK_MAX_RETRIES)
    assert {r.status for r in _results()} == {states.FAILURE}
    assert not ReminderLog.objects.exists()  # not sent, so not logged as sent

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.count() == 2


def _results():
    from django_celery_results.models import TaskResult

    return TaskResult.objects.filter(task_name=SEND)
