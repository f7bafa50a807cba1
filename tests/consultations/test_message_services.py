"""Answering, closing and moderating a resident's message (``message_update`` and the services
around it): the moves ``MESSAGE_STEPS`` allows, and the dates a resident's rating depends on."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from consultations.models import PublicMessage
from consultations.services.messages import (
    message_answer,
    message_close,
    message_hide,
    message_rate,
    message_update,
)
from tests.factories import PublicMessageFactory

pytestmark = pytest.mark.django_db

Status = PublicMessage.Status


@pytest.fixture
def message(hanshan):
    return PublicMessageFactory(workstation=hanshan.workstation)


def test_an_answer_is_dated_and_the_message_answered(message, hanshan):
    assert message_answer(message=message, reply="已联系供电所修复。", by=hanshan.staff)
    message.refresh_from_db()
    assert (message.status, message.reply) == (Status.ANSWERED, "已联系供电所修复。")
    assert message.replied_at is not None
    assert message.history.latest().history_user == hanshan.staff


def test_a_second_tap_on_answer_changes_nothing(message):
    message_answer(message=message, reply="已修复。")
    first = PublicMessage.objects.get(pk=message.pk).replied_at
    assert message_answer(message=message, reply="已修复。") is False
    assert PublicMessage.objects.get(pk=message.pk).replied_at == first


def test_an_empty_answer_is_refused(message):
    with pytest.raises(ValidationError) as excinfo:
        message_answer(message=message, reply="  ")
    assert "reply" in excinfo.value.message_dict
    assert PublicMessage.objects.get(pk=message.pk).status == Status.NEW


def test_a_message_is_closed_only_once_answered(message):
    with pytest.raises(ValidationError):
        message_close(message=message)
    message_answer(message=message, reply="已修复。")
    assert message_close(message=message)
    message.refresh_from_db()
    assert message.status == Status.CLOSED and message.closed_at is not None


def test_closing_lets_the_resident_rate_it(message):
    message_answer(message=message, reply="已修复。")
    assert not message_rate(message=message, rating=5)
    message_close(message=message)
    assert message_rate(message=message, rating=5)


def test_a_closed_message_is_not_answered_again(message):
    message_answer(message=message, reply="已修复。")
    message_close(message=message)
    with pytest.raises(ValidationError):
        message_answer(message=message, reply="再答一次")
    assert PublicMessage.objects.get(pk=message.pk).reply == "已修复。"


def test_a_rated_message_stays_closed(message):
    message_answer(message=message, reply="已修复。")
    message_close(message=message)
    message_rate(message=message, rating=4)
    with pytest.raises(ValidationError) as excinfo:
        message_update(message=message, status=Status.ANSWERED, reply="已修复。")
    assert "status" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        message_hide(message=message)


def test_an_unrated_closed_message_may_be_reopened(message):
    message_answer(message=message, reply="已修复。")
    message_close(message=message)
    assert message_update(message=message, status=Status.ANSWERED, reply="已修复。")
    message.refresh_from_db()
    assert message.status == Status.ANSWERED and message.closed_at is None


def test_a_hidden_message_comes_back_only_as_received_or_in_hand(message):
    message_hide(message=message)
    with pytest.raises(ValidationError):
        message_update(message=message, status=Status.CLOSED, reply="x")
    assert message_update(message=message, status=Status.NEW, reply="")
    assert PublicMessage.objects.get(pk=message.pk).status == Status.NEW
