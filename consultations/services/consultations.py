"""Consultations step by step ("三议七步"): opened with a topic, each step recorded as it
happens, media reports linked."""

from __future__ import annotations

import datetime
import os
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from members.models import Member, Membership
from workstations.models import Workstation
from workstations.photos import MAX_UPLOAD_BYTES, PhotoError, process_photo

from ..models import Consultation, ConsultationStep, MediaReport, PublicMessage

ATTACHMENT_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "txt", "jpg", "jpeg", "png"}
)
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png"})


@transaction.atomic
def consultation_open(
    *,
    workstation: Workstation,
    opened_by: Member,
    topic: str,
    topic_source: str,
    opened_on: datetime.date,
    description: str = "",
    source_message: PublicMessage | None = None,
) -> Consultation:
    """Open a consultation at a workstation with its topic and where the topic came from.

    The opening is recorded as the first step ("topic raised"). A resident's message taken up as
    the topic moves on from "received" to "being handled". Staff publish the consultation.
    """
    if source_message is not None and source_message.workstation_id != workstation.pk:
        raise ValidationError(
            {"source_message": _("This message was left at another workstation.")}
        )
    consultation = Consultation(
        workstation=workstation,
        topic=topic.strip(),
        topic_source=topic_source,
        source_message=source_message,
        description=description.strip(),
        opened_on=opened_on,
        opened_by=opened_by,
        stage=Consultation.Step.TOPIC,
        is_published=False,
    )
    consultation.full_clean()
    consultation.save()
    step = ConsultationStep(
        consultation=consultation,
        step=Consultation.Step.TOPIC,
        date=opened_on,
        summary=consultation.description or consultation.topic,
    )
    step.full_clean()
    step.save()
    if source_message is not None and source_message.status == PublicMessage.Status.NEW:
        source_message.status = PublicMessage.Status.IN_PROGRESS
        source_message.save(update_fields=["status"])
    return consultation


def attachment_check(upload: UploadedFile) -> str:
    """The lower-case extension of an acceptable attachment; ValidationError otherwise."""
    ext = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if ext not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("Attach a PDF, a Word, Excel, PowerPoint or WPS file, or a JPEG or PNG picture."),
            code="attachment_type",
        )
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The attachment is %(size)s; it may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
            code="attachment_too_big",
        )
    return ext


def _stored_attachment(upload: UploadedFile) -> ContentFile:
    """The attachment under a name the server makes; a picture goes through the photo pipeline
    (so its location and other metadata are stripped)."""
    ext = attachment_check(upload)
    if ext in IMAGE_EXTENSIONS:
        return process_photo(upload).image
    upload.seek(0)
    return ContentFile(upload.read(), name=f"{uuid.uuid4().hex}.{ext}")


@transaction.atomic
def consultation_record_step(
    *,
    consultation: Consultation,
    step: int,
    date: datetime.date,
    summary: str,
    members: Sequence[Member] = (),
    departments: str = "",
    stakeholders: str = "",
    residents_count: int = 0,
    submitted_to: str = "",
    attachment: UploadedFile | None = None,
    problem_solved: bool | None = None,
) -> ConsultationStep:
    """Record one step of a consultation as it happens; the consultation's current step moves
    forward to it (never back), and "problem solved" is set when given."""
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    allowed = set(
        Membership.objects.filter(workstation=locked.workstation).values_list(
            "member_id", flat=True
        )
    )
    if any(m.pk not in allowed for m in members):
        raise ValidationError({"members": _("Only members of this workstation can be listed.")})
    record = ConsultationStep(
        consultation=locked,
        step=step,
        date=date,
        summary=summary.strip(),
        departments=departments.strip(),
        stakeholders=stakeholders.strip(),
        residents_count=residents_count or 0,
        submitted_to=submitted_to.strip(),
    )
    if attachment is not None:
        try:
            stored = _stored_attachment(attachment)
        except PhotoError as error:
            raise ValidationError({"attachment": error.messages}) from None
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from None
        record.attachment.save(stored.name, stored, save=False)
    try:
        record.full_clean()
    except ValidationError:
        if record.attachment:
            record.attachment.delete(save=False)
        raise
    record.save()
    record.members.set(members)
    fields = []
    if step > locked.stage:
        locked.stage = step
        fields.append("stage")
    if problem_solved is not None and problem_solved != locked.problem_solved:
        locked.problem_solved = problem_solved
        fields.append("problem_solved")
    if fields:
        locked.save(update_fields=[*fields, "updated_at"])
    consultation.refresh_from_db()
    return record


def consultation_add_media_report(
    *, consultation: Consultation, url: str, title: str = "", outlet: str = ""
) -> MediaReport:
    """Link a media report on a consultation ("one media report" of the "五个一")."""
    report = MediaReport(
        consultation=consultation,
        url=url,
        title=(title or outlet or url)[:150],
        outlet=outlet[:50],
    )
    report.full_clean()
    report.save()
    return report
