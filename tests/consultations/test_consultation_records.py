"""Consultations step by step: one step at a time (``consultation_record_step``), and many
consultations with their steps at once (``consultations_record``) under the same rules."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations.models import Consultation, ConsultationStep, MediaReport, PublicMessage
from consultations.services.activities import MediaLink
from consultations.services.consultations import (
    ConsultationRecord,
    StepRecord,
    consultation_add_media_report,
    consultation_open,
    consultation_record_step,
    consultations_record,
)
from tests.factories import MemberFactory, PublicMessageFactory

pytestmark = pytest.mark.django_db

Step = Consultation.Step


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def record(ns, **kwargs) -> ConsultationRecord:
    values = {
        "workstation": ns.workstation,
        "opened_by": ns.convener,
        "topic": "小区加装电梯",
        "topic_source": Consultation.TopicSource.MEMBERS,
        "opened_on": days_ago(40),
        "steps": [
            StepRecord(
                step=Step.RESEARCH, date=days_ago(30), summary="走访住户", members=[ns.member]
            ),
            StepRecord(step=Step.MEETING, date=days_ago(20), summary="协商议事会"),
        ],
    }
    values.update(kwargs)
    return ConsultationRecord(**values)


# --- One step at a time --------------------------------------------------------------------------


def test_the_first_step_says_what_the_opening_gives(hanshan):
    consultation = consultation_open(
        workstation=hanshan.workstation,
        opened_by=hanshan.convener,
        topic="小区加装电梯",
        topic_source=Consultation.TopicSource.MEMBERS,
        opened_on=days_ago(3),
        summary="委员联名提出议题",
    )
    assert consultation.steps.get().summary == "委员联名提出议题"


def test_a_step_cannot_be_dated_before_the_consultation_opened(hanshan):
    consultation = consultation_open(
        workstation=hanshan.workstation,
        opened_by=hanshan.convener,
        topic="小区加装电梯",
        topic_source=Consultation.TopicSource.MEMBERS,
        opened_on=days_ago(3),
    )
    with pytest.raises(ValidationError) as excinfo:
        consultation_record_step(
            consultation=consultation, step=Step.RESEARCH, date=days_ago(5), summary="走访"
        )
    assert "date" in excinfo.value.message_dict
    assert consultation.steps.count() == 1


def test_a_media_report_on_a_consultation_is_dated_but_not_in_the_future(hanshan):
    (consultation,) = consultations_record(records=[record(hanshan)])
    report = consultation_add_media_report(
        consultation=consultation, url="https://example.org/1", published_on=days_ago(1)
    )
    assert report.published_on == days_ago(1)
    with pytest.raises(ValidationError) as excinfo:
        consultation_add_media_report(
            consultation=consultation, url="https://example.org/2", published_on=days_ago(-1)
        )
    assert "published_on" in excinfo.value.message_dict


# --- Many at once --------------------------------------------------------------------------------


def test_a_record_writes_the_opening_and_every_step_and_moves_the_stage(hanshan):
    (consultation,) = consultations_record(records=[record(hanshan)], reason="demo")
    consultation.refresh_from_db()
    assert consultation.stage == Step.MEETING
    assert list(consultation.steps.values_list("step", flat=True)) == [1, 2, 3]
    assert not consultation.is_published  # staff publish it


def test_the_steps_keep_their_members_with_their_history(hanshan):
    (consultation,) = consultations_record(records=[record(hanshan)], reason="demo")
    research = consultation.steps.get(step=Step.RESEARCH)
    assert list(research.members.all()) == [hanshan.member]
    history = research.history.get()
    assert history.history_change_reason == "demo"
    assert [m.member_id for m in history.members.all()] == [hanshan.member.pk]


def test_the_stage_never_moves_back(hanshan):
    steps = [
        StepRecord(step=Step.MEETING, date=days_ago(20), summary="协商议事会"),
        StepRecord(step=Step.RESEARCH, date=days_ago(10), summary="补充调研"),
    ]
    (consultation,) = consultations_record(records=[record(hanshan, steps=steps)])
    assert Consultation.objects.get(pk=consultation.pk).stage == Step.MEETING


def test_a_step_says_whether_the_problem_was_solved(hanshan):
    steps = [
        StepRecord(
            step=Step.IMPLEMENTATION, date=days_ago(5), summary="电梯开工", problem_solved=True
        )
    ]
    (consultation,) = consultations_record(records=[record(hanshan, steps=steps)])
    assert Consultation.objects.get(pk=consultation.pk).problem_solved


def test_a_member_from_outside_the_workstation_refuses_the_whole_batch(hanshan):
    outsider = MemberFactory(committee=hanshan.committee)
    steps = [StepRecord(step=Step.RESEARCH, date=days_ago(30), summary="走访", members=[outsider])]
    with pytest.raises(ValidationError) as excinfo:
        consultations_record(records=[record(hanshan), record(hanshan, steps=steps)])
    assert "record 1" in excinfo.value.message_dict
    assert not Consultation.objects.exists() and not ConsultationStep.objects.exists()


def test_a_step_before_the_opening_is_refused(hanshan):
    steps = [StepRecord(step=Step.RESEARCH, date=days_ago(50), summary="走访")]
    with pytest.raises(ValidationError):
        consultations_record(records=[record(hanshan, steps=steps)])


def test_a_step_in_the_future_is_refused(hanshan):
    steps = [StepRecord(step=Step.RESEARCH, date=days_ago(-1), summary="走访")]
    with pytest.raises(ValidationError):
        consultations_record(records=[record(hanshan, steps=steps)])


def test_a_step_says_what_happened(hanshan):
    steps = [StepRecord(step=Step.RESEARCH, date=days_ago(30), summary="  ")]
    with pytest.raises(ValidationError):
        consultations_record(records=[record(hanshan, steps=steps)])


def test_a_message_taken_up_as_the_topic_is_being_handled(hanshan):
    message = PublicMessageFactory(workstation=hanshan.workstation)
    (consultation,) = consultations_record(
        records=[
            record(
                hanshan,
                source_message=message,
                topic_source=Consultation.TopicSource.RESIDENTS,
            )
        ]
    )
    assert consultation.source_message == message
    assert PublicMessage.objects.get(pk=message.pk).status == PublicMessage.Status.IN_PROGRESS


def test_a_message_left_at_another_workstation_is_refused(hanshan):
    message = PublicMessageFactory(workstation=hanshan.other_workstation)
    with pytest.raises(ValidationError):
        consultations_record(records=[record(hanshan, source_message=message)])
    assert PublicMessage.objects.get(pk=message.pk).status == PublicMessage.Status.NEW


def test_media_reports_come_with_their_consultation(hanshan):
    link = MediaLink(url="", title="把加装电梯摆上协商桌", outlet="县融媒体中心")
    (consultation,) = consultations_record(records=[record(hanshan, media_links=[link])])
    report = MediaReport.objects.get(consultation=consultation)
    assert (report.title, report.outlet) == ("把加装电梯摆上协商桌", "县融媒体中心")
