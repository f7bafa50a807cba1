"""An answered message is closed by itself after the days its committee sets (14 unless told),
so that the resident, who may rate only a closed message, can rate how it was handled."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import PublicMessage
from consultations.services.messages import messages_close_answered
from consultations.tasks import close_answered_messages
from tests.factories import PublicMessageFactory

pytestmark = pytest.mark.django_db
Status = PublicMessage.Status


def message(workstation, *, status=Status.ANSWERED, days_ago: float) -> PublicMessage:
    """A message answered (or received, if not answered) ``days_ago`` days ago."""
    then = timezone.now() - datetime.timedelta(days=days_ago)
    answered = status in (Status.ANSWERED, Status.CLOSED)
    msg = PublicMessageFactory(
        workstation=workstation,
        status=status,
        reply="已联系住建部门，路灯本周修复。" if answered else "",
        replied_at=then if answered else None,
    )
    PublicMessage.objects.filter(pk=msg.pk).update(created_at=then - datetime.timedelta(days=1))
    msg.refresh_from_db()
    return msg


def test_the_committee_closes_answered_messages_after_14_days_by_default(hanshan):
    assert hanshan.committee.messages_close_after_days == 14
    old = message(hanshan.workstation, days_ago=15)
    recent = message(hanshan.workstation, days_ago=13)
    assert messages_close_answered() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == Status.CLOSED and old.closed_at is not None
    assert recent.status == Status.ANSWERED and recent.closed_at is None
    assert old.history.latest().status == Status.CLOSED  # recorded like any closing


def test_each_committee_sets_its_own_number_of_days(hanshan, huimin):
    hanshan.committee.messages_close_after_days = 3
    hanshan.committee.save(update_fields=["messages_close_after_days"])
    here = message(hanshan.workstation, days_ago=4)
    there = message(huimin.workstation, days_ago=4)
    messages_close_answered()
    here.refresh_from_db()
    there.refresh_from_db()
    assert (here.status, there.status) == (Status.CLOSED, Status.ANSWERED)


def test_only_answered_messages_are_closed(hanshan):
    waiting = [
        message(hanshan.workstation, status=s, days_ago=30)
        for s in (Status.NEW, Status.IN_PROGRESS, Status.HIDDEN)
    ]
    assert messages_close_answered() == 0
    assert [PublicMessage.objects.get(pk=m.pk).status for m in waiting] == [
        m.status for m in waiting
    ]


def test_the_number_of_days_is_at_least_one(hanshan):
    hanshan.committee.messages_close_after_days = 0
    with pytest.raises(ValidationError) as error:
        hanshan.committee.full_clean()
    assert set(error.value.error_dict) == {"messages_close_after_days"}


def test_a_message_closed_by_itself_can_be_rated_by_its_resident(hanshan):
    msg = message(hanshan.workstation, days_ago=20)
    out = io.StringIO()
    call_command("close_answered_messages", stdout=out)
    assert out.getvalue().startswith("1 ")
    client = Client()
    response = client.post(
        reverse("public:message_rate"), {"code": msg.tracking_code, "rating": "5"}
    )
    assert response.status_code == 302
    msg.refresh_from_db()
    assert (msg.status, msg.rating) == (Status.CLOSED, 5)


def test_the_beat_runs_the_task_daily(hanshan):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if "close_answered" in e["task"]]
    assert [e["task"] for e in entries] == ["consultations.tasks.close_answered_messages"]
    msg = message(hanshan.workstation, days_ago=15)
    assert close_answered_messages.apply().get() == 1
    msg.refresh_from_db()
    assert msg.status == Status.CLOSED
