"""The office answers, closes and hides residents' messages in the back office, through the
same service as every other path (``message_update``): its rules are the form's errors."""

from __future__ import annotations

import pytest

from consultations.models import PublicMessage

from .helpers import changeform_data
from .test_scoping import url

pytestmark = pytest.mark.django_db

LABEL = "consultations.publicmessage"
Status = PublicMessage.Status


def post(client, message, **changes):
    data = changeform_data(client.get(url(LABEL, "change", message.pk)))
    data.update(changes)
    return client.post(url(LABEL, "change", message.pk), data)


def test_answering_dates_the_reply(counties, english_login):
    message = counties.hanshan.objects[LABEL]
    response = post(
        english_login(counties.hanshan.staff), message, status="answered", reply="已修复路灯。"
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.reply) == (Status.ANSWERED, "已修复路灯。")
    assert message.replied_at is not None


def test_closing_without_an_answer_is_refused_with_a_message(counties, english_login):
    message = counties.hanshan.objects[LABEL]
    response = post(english_login(counties.hanshan.staff), message, status="closed", reply="")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Write the answer the resident will read" in str(errors["reply"])
    assert PublicMessage.objects.get(pk=message.pk).status == Status.NEW


def test_a_rated_message_cannot_be_reopened(counties, english_login):
    message = counties.hanshan.objects[LABEL]
    client = english_login(counties.hanshan.staff)
    post(client, message, status="answered", reply="已修复。")
    post(client, message, status="closed", reply="已修复。")
    PublicMessage.objects.filter(pk=message.pk).update(rating=5)
    response = post(client, message, status="answered", reply="已修复。")
    assert response.status_code == 200
    assert "stays closed" in str(response.context["adminform"].form.errors["status"])
    assert PublicMessage.objects.get(pk=message.pk).status == Status.CLOSED


def test_closing_records_when(counties, english_login):
    message = counties.hanshan.objects[LABEL]
    client = english_login(counties.hanshan.staff)
    post(client, message, status="answered", reply="已修复。")
    post(client, message, status="closed", reply="已修复。")
    message.refresh_from_db()
    assert message.status == Status.CLOSED
    assert message.replied_at <= message.closed_at
