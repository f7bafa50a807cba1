"""Consultations step by step, the "五个一" checklist, and the report drafted from them."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from consultations.models import Consultation, ConsultationStep, PublicMessage
from outcomes.models import Outcome
from tests.factories import ConsultationFactory, PublicMessageFactory

from .conftest import heic_bytes, jpeg_bytes

pytestmark = pytest.mark.django_db


def _step_url(c, step):
    return reverse("me:consultation_step", kwargs={"pk": c.pk, "step": step})


def test_convener_opens_a_consultation_from_a_residents_message(ws, login):
    message = PublicMessageFactory(workstation=ws.workstation)
    client = login(ws.convener.user)
    response = client.post(
        reverse("me:consultation_open", kwargs={"workstation": ws.workstation.pk}),
        {
            "topic": "小区路灯维修",
            "topic_source": Consultation.TopicSource.RESIDENTS,
            "source_message": message.pk,
            "description": "居民反映路灯坏了两个月。",
            "opened_on": timezone.localdate().isoformat(),
        },
    )
    consultation = Consultation.objects.get()
    assert response["Location"] == reverse("me:consultation_detail", kwargs={"pk": consultation.pk})
    assert consultation.source_message == message
    assert consultation.opened_by == ws.convener
    assert consultation.steps.get().step == Consultation.Step.TOPIC
    message.refresh_from_db()
    assert message.status == PublicMessage.Status.IN_PROGRESS


def test_a_message_of_another_workstation_cannot_be_the_topic(ws, login):
    elsewhere = PublicMessageFactory(workstation=ws.other_workstation)
    response = login(ws.convener.user).post(
        reverse("me:consultation_open", kwargs={"workstation": ws.workstation.pk}),
        {
            "topic": "x",
            "topic_source": "residents",
            "source_message": elsewhere.pk,
            "opened_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "source_message" in response.context["form"].errors


def test_each_step_is_recorded_with_its_date_participants_and_attachment(ws, login):
    consultation = ConsultationFactory(workstation=ws.workstation, topic="加装电梯")
    client = login(ws.convener.user)
    day = timezone.localdate() - datetime.timedelta(days=2)
    response = client.post(
        _step_url(consultation, Consultation.Step.MEETING),
        {
            "date": day.isoformat(),
            "summary": "住户、物业和住建局面对面协商。",
            "members": [ws.member.pk, ws.convener.pk],
            "departments": "县住建局",
            "stakeholders": "物业公司",
            "residents_count": "18",
            "attachment": SimpleUploadedFile("签到表.jpg", jpeg_bytes(gps=True), "image/jpeg"),
        },
    )
    assert response.status_code == 302
    step = ConsultationStep.objects.get(step=Consultation.Step.MEETING)
    assert step.date == day
    assert set(step.members.all()) == {ws.member, ws.convener}
    assert step.residents_count == 18
    assert step.attachment.name.endswith(".jpg") and "签到表" not in step.attachment.name
    with Image.open(step.attachment) as image:
        assert len(image.getexif()) == 0
    consultation.refresh_from_db()
    assert consultation.stage == Consultation.Step.MEETING


def test_an_iphone_heic_attachment_is_kept_as_a_jpeg_without_its_location(ws, login):
    consultation = ConsultationFactory(workstation=ws.workstation)
    heic = SimpleUploadedFile("签到表.HEIC", heic_bytes(gps=True), "image/heic")
    response = login(ws.convener.user).post(
        _step_url(consultation, Consultation.Step.RESEARCH),
        {"date": timezone.localdate().isoformat(), "summary": "走访", "attachment": heic},
    )
    assert response.status_code == 302
    step = ConsultationStep.objects.get(step=Consultation.Step.RESEARCH)
    assert step.attachment.name.endswith(".jpg") and "签到表" not in step.attachment.name
    with Image.open(step.attachment) as image:
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0


def test_the_form_of_a_step_asks_only_what_that_step_needs(ws, login):
    consultation = ConsultationFactory(workstation=ws.workstation)
    client = login(ws.convener.user)
    fields = client.get(_step_url(consultation, Consultation.Step.SUBMISSION)).context["form"]
    assert "submitted_to" in fields.fields and "members" not in fields.fields
    fields = client.get(_step_url(consultation, Consultation.Step.MEETING)).context["form"]
    assert {"members", "departments", "stakeholders", "residents_count"} <= set(fields.fields)


def test_a_step_in_the_future_is_refused(ws, login):
    consultation = ConsultationFactory(workstation=ws.workstation)
    response = login(ws.convener.user).post(
        _step_url(consultation, Consultation.Step.RESEARCH),
        {
            "date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            "summary": "走访",
        },
    )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors


def test_an_attachment_of_the_wrong_kind_is_refused(ws, login):
    consultation = ConsultationFactory(workstation=ws.workstation)
    response = login(ws.convener.user).post(
        _step_url(consultation, Consultation.Step.RESEARCH),
        {
            "date": timezone.localdate().isoformat(),
            "summary": "走访",
            "attachment": SimpleUploadedFile("run.exe", b"MZ...", "application/octet-stream"),
        },
    )
    assert response.status_code == 200
    assert "attachment" in response.context["form"].errors
    assert not ConsultationStep.objects.filter(step=Consultation.Step.RESEARCH).exists()


def test_the_five_ones_checklist_shows_what_the_loop_lacks(ws, login):
    consultation = ConsultationFactory(workstation=ws.workstation)
    client = login(ws.member.user)
    checklist = client.get(
        reverse("me:consultation_detail", kwargs={"pk": consultation.pk})
    ).context["checklist"]
    assert {i.key: i.done for i in checklist} == {
        "topic": True,
        "meeting": False,
        "solved": False,
        "case": False,
        "media": False,
    }
    convener = login(ws.convener.user)
    today = timezone.localdate().isoformat()
    convener.post(
        _step_url(consultation, Consultation.Step.MEETING), {"date": today, "summary": "协商会"}
    )
    convener.post(
        _step_url(consultation, Consultation.Step.IMPLEMENTATION),
        {"date": today, "summary": "电梯开工", "problem_solved": "on"},
    )
    convener.post(
        reverse("me:consultation_media", kwargs={"pk": consultation.pk}),
        {"url": "https://example.org/news/9", "title": "加装电梯开工"},
    )
    Outcome.objects.create(
        committee=ws.committee, consultation=consultation, kind="typical_case", title="案例"
    )
    checklist = client.get(
        reverse("me:consultation_detail", kwargs={"pk": consultation.pk})
    ).context["checklist"]
    assert all(item.done for item in checklist)


def test_a_consultation_report_is_drafted_from_the_opinions(ws, login):
    consultation = ConsultationFactory(
        workstation=ws.workstation, topic="老旧小区加装电梯", description="住户多为老人。"
    )
    convener = login(ws.convener.user)
    today = timezone.localdate().isoformat()
    convener.post(
        _step_url(consultation, Consultation.Step.MEETING),
        {
            "date": today,
            "summary": "各方协商。",
            "members": [ws.member.pk],
            "departments": "住建局",
        },
    )
    convener.post(
        _step_url(consultation, Consultation.Step.OPINIONS),
        {"date": today, "summary": "一、统一规划；二、财政补助。"},
    )
    url = reverse("me:consultation_report", kwargs={"pk": consultation.pk})
    response = convener.post(url)
    outcome = Outcome.objects.get()
    assert response["Location"] == reverse("me:outcome_edit", kwargs={"pk": outcome.pk})
    assert outcome.kind == Outcome.Kind.CONSULTATION_REPORT
    assert outcome.status == Outcome.Status.DRAFT
    assert outcome.consultation == consultation
    assert "一、统一规划；二、财政补助。" in outcome.opinions
    assert "一、统一规划；二、财政补助。" in outcome.body
    assert "住户多为老人。" in outcome.body
    assert set(outcome.authors.all()) == {ws.convener, ws.member}
    convener.post(url)  # a double tap: still one draft
    assert Outcome.objects.count() == 1
