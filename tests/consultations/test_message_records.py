"""Residents' messages dated in the past: received, moved and rated at the times they were, one
at a time (``at=``) or many at once (``messages_record``), under the same rules."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations.models import PublicMessage
from consultations.services.messages import (
    MessageMove,
    MessageRecord,
    message_answer,
    message_close,
    message_create,
    message_rate,
    messages_record,
)
from tests.factories import PublicMessageFactory

pytestmark = pytest.mark.django_db

Status = PublicMessage.Status


def hours_ago(n: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=n)


def record(ns, **kwargs) -> MessageRecord:
    values = {
        "workstation": ns.workstation,
        "mobile": "13900001111",
        "category": PublicMessage.Category.TRAFFIC,
        "text": "路口没有减速带。",
        "at": hours_ago(100),
    }
    values.update(kwargs)
    return MessageRecord(**values)


def closed(at: float = 100) -> list[MessageMove]:
    return [
        MessageMove(Status.ANSWERED, hours_ago(at - 20), "已联系交通部门。"),
        MessageMove(Status.CLOSED, hours_ago(at - 40), "已联系交通部门。"),
    ]


# --- One at a time -------------------------------------------------------------------------------


def test_a_message_cannot_arrive_in_the_future(hanshan):
    with pytest.raises(ValidationError):
        message_create(
            workstation=hanshan.workstation,
            mobile="13900001111",
            category=PublicMessage.Category.TRAFFIC,
            text="路灯坏了。",
            notify=False,
            at=timezone.now() + datetime.timedelta(hours=1),
        )
    assert not PublicMessage.objects.exists()


def test_an_answer_cannot_be_dated_before_the_message_arrived(hanshan):
    message = message_create(
        workstation=hanshan.workstation,
        mobile="13900001111",
        category=PublicMessage.Category.TRAFFIC,
        text="路灯坏了。",
        notify=False,
        at=hours_ago(10),
    )
    with pytest.raises(ValidationError):
        message_answer(message=message, reply="已修复。", at=hours_ago(20))
    assert message_answer(message=message, reply="已修复。", at=hours_ago(5))


def test_a_rating_cannot_be_dated_before_the_closing(hanshan):
    message = PublicMessageFactory(workstation=hanshan.workstation)
    message_answer(message=message, reply="已修复。")
    message_close(message=message)
    message.refresh_from_db()
    with pytest.raises(ValidationError):
        message_rate(message=message, rating=5, at=message.closed_at - datetime.timedelta(hours=1))
    assert PublicMessage.objects.get(pk=message.pk).rating is None


# --- Many at once --------------------------------------------------------------------------------


def test_a_record_is_received_when_it_says_and_moved_as_far_as_it_went(hanshan):
    (message,) = messages_record(records=[record(hanshan, moves=closed())])
    message.refresh_from_db()
    assert message.status == Status.CLOSED and message.reply == "已联系交通部门。"
    assert message.created_at < message.replied_at < message.closed_at
    assert abs(message.created_at - hours_ago(100)) < datetime.timedelta(minutes=1)


def test_the_server_makes_every_tracking_code(hanshan):
    first, second = messages_record(records=[record(hanshan), record(hanshan)])
    assert first.tracking_code and first.tracking_code != second.tracking_code


def test_a_resident_rates_a_closed_message_after_it_closed(hanshan):
    (message,) = messages_record(
        records=[record(hanshan, moves=closed(), rating=4, rated_at=hours_ago(10))]
    )
    message.refresh_from_db()
    assert message.rating == 4 and message.rated_at > message.closed_at


def test_only_a_closed_message_is_rated(hanshan):
    answered = [MessageMove(Status.ANSWERED, hours_ago(50), "已联系。")]
    with pytest.raises(ValidationError):
        messages_record(records=[record(hanshan, moves=answered, rating=5)])


def test_a_move_the_steps_do_not_allow_refuses_the_whole_batch(hanshan):
    straight_to_closed = [MessageMove(Status.CLOSED, hours_ago(50), "已解决。")]
    with pytest.raises(ValidationError) as excinfo:
        messages_record(records=[record(hanshan), record(hanshan, moves=straight_to_closed)])
    assert "record 1" in excinfo.value.message_dict
    assert not PublicMessage.objects.exists()


def test_an_answer_needs_its_reply(hanshan):
    with pytest.raises(ValidationError):
        messages_record(
            records=[record(hanshan, moves=[MessageMove(Status.ANSWERED, hours_ago(50))])]
        )


def test_moves_out_of_order_in_time_are_refused(hanshan):
    backwards = [
        MessageMove(Status.ANSWERED, hours_ago(50), "已联系。"),
        MessageMove(Status.CLOSED, hours_ago(60), "已联系。"),
    ]
    with pytest.raises(ValidationError):
        messages_record(records=[record(hanshan, moves=backwards)])


def test_nobody_is_emailed_and_the_history_says_why(hanshan):
    (message,) = messages_record(records=[record(hanshan)], by=hanshan.staff, reason="demo")
    assert mail.outbox == []
    history = message.history.get()
    assert (history.history_user, history.history_change_reason) == (hanshan.staff, "demo")
