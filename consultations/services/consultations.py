"""Consultations step by step ("三议七步"): opened with a topic, each step recorded as it
happens, media reports linked."""

from __future__ import annotations

import datetime
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, Membership
from workstations import files
from workstations.history import bulk_create_with_history, bulk_update_with_history
from workstations.models import Workstation
from workstations.photos import MAX_UPLOAD_BYTES, PhotoError, process_photo

from .. import tallies
from ..models import Consultation, ConsultationStep, MediaReport, PublicMessage
from .activities import MediaLink

# HEIC and HEIF are iPhone photos; like every picture they are stored as the pipeline's JPEG.
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "heic", "heif"})
ATTACHMENT_EXTENSIONS = (
    frozenset({"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "txt"}) | IMAGE_EXTENSIONS
)


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
    summary: str = "",
) -> Consultation:
    """Open a consultation at a workstation with its topic and where the topic came from.

    The opening is recorded as the first step ("topic raised"), saying ``summary`` (how the
    topic came up; by default the background, or else the topic). A resident's message taken up
    as the topic moves on from "received" to "being handled". Staff publish the consultation.
    """
    _check_source_message(workstation, source_message)
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
        summary=summary.strip() or consultation.description or consultation.topic,
    )
    step.full_clean()
    step.save()
    if source_message is not None and source_message.status == PublicMessage.Status.NEW:
        source_message.status = PublicMessage.Status.IN_PROGRESS
        source_message.save(update_fields=["status"])
    return consultation


def _check_source_message(workstation: Workstation, message: PublicMessage | None) -> None:
    if message is not None and message.workstation_id != workstation.pk:
        raise ValidationError(
            {"source_message": _("This message was left at another workstation.")}
        )


def _step_errors(
    consultation: Consultation, record: ConsultationStep, members: Sequence[Member], allowed
) -> dict[str, list[str]]:
    """What is wrong with one step of a consultation (by field; empty when nothing): the step's
    own rules, members who belong to the workstation (``allowed``: their ids), and a date on or
    after the day the consultation opened. Recording one step and many obey the same."""
    errors: dict[str, list[str]] = {}
    try:
        # The check constraints (a step from 1 to 8) are the field's choices, checked here
        # without a query per row; the database enforces them on saving.
        record.full_clean(exclude=["consultation", "attachment"], validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if any(m.pk not in allowed for m in members):
        errors.setdefault("members", []).append(
            _("Only members of this workstation can be listed.")
        )
    if record.date and consultation.opened_on and record.date < consultation.opened_on:
        errors.setdefault("date", []).append(
            _("A step cannot be dated before the consultation opened.")
        )
    return errors


def attachment_check(upload: UploadedFile) -> str:
    """The lower-case extension of an acceptable attachment; ValidationError otherwise."""
    ext = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if ext not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _(
                "Attach a PDF, a Word, Excel, PowerPoint or WPS file, or a JPEG, PNG or HEIC "
                "picture."
            ),
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
    forward to it (never back), and "problem solved" is set when given. The members listed
    belong to the workstation, and the step is dated between the opening and today."""
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    allowed = set(
        Membership.objects.filter(workstation=locked.workstation).values_list(
            "member_id", flat=True
        )
    )
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
    if errors := _step_errors(locked, record, members, allowed):
        raise ValidationError(errors)
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
    tallies.refresh_for([record])
    consultation.refresh_from_db()
    return record


def step_attachments_place() -> files.Placed:
    """A step's attachment is private (``step_attachment_name``): move there any kept in the
    public storage, as all were before private storage (``manage.py place_files``)."""
    public = ConsultationStep.objects.exclude(attachment="").exclude(
        attachment__startswith=files.PRIVATE_PREFIX
    )
    return files.rows_place(public, ["attachment"], private=True)


def consultation_add_media_report(
    *,
    consultation: Consultation,
    url: str,
    title: str = "",
    outlet: str = "",
    published_on: datetime.date | None = None,
) -> MediaReport:
    """Link a media report on a consultation ("one media report" of the "五个一"), published
    on ``published_on`` if known (not in the future)."""
    report = _media_report(consultation, MediaLink(url, title, outlet, published_on))
    if errors := _media_report_errors(report):
        raise ValidationError(errors)
    report.save()
    return report


def _media_report(consultation: Consultation, link: MediaLink) -> MediaReport:
    return MediaReport(
        consultation=consultation,
        url=link.url,
        title=(link.title or link.outlet or link.url)[:150],
        outlet=link.outlet[:50],
        published_on=link.published_on,
    )


def _media_report_errors(report: MediaReport) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        report.full_clean(exclude=["consultation"], validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if report.published_on and report.published_on > timezone.localdate():
        errors.setdefault("published_on", []).append(
            _("A media report cannot be dated in the future.")
        )
    return errors


# --- Many at once: a year of the demo ------------------------------------------------------------


@dataclass
class StepRecord:
    """One recorded step of a consultation, for ``consultations_record`` (see
    ``consultation_record_step``; a step recorded in bulk has no attachment)."""

    step: int
    date: datetime.date
    summary: str
    members: Sequence[Member] = ()
    departments: str = ""
    stakeholders: str = ""
    residents_count: int = 0
    submitted_to: str = ""
    problem_solved: bool | None = None


@dataclass
class ConsultationRecord:
    """A consultation as it went, for ``consultations_record``: how it was opened (see
    ``consultation_open``; ``summary`` is what its first step records), each step recorded
    after (in order), its media reports, and whether staff published it."""

    workstation: Workstation
    opened_by: Member | None
    topic: str
    topic_source: str
    opened_on: datetime.date
    description: str = ""
    summary: str = ""
    source_message: PublicMessage | None = None
    steps: Sequence[StepRecord] = ()
    media_links: Sequence[MediaLink] = ()
    is_published: bool = False


def _consultation_from(
    record: ConsultationRecord, allowed: set[int]
) -> tuple[Consultation, list, list[MediaReport], dict[str, list[str]]]:
    """The consultation a record describes, its steps (with their members) and media reports,
    and what is wrong with them under the rules of opening a consultation and recording its
    steps one by one (by field; empty when nothing)."""
    errors: dict[str, list[str]] = {}
    consultation = Consultation(
        workstation=record.workstation,
        topic=record.topic.strip(),
        topic_source=record.topic_source,
        source_message=record.source_message,
        description=record.description.strip(),
        opened_on=record.opened_on,
        opened_by=record.opened_by,
        stage=Consultation.Step.TOPIC,
        is_published=record.is_published,
    )
    try:
        _check_source_message(record.workstation, record.source_message)
        consultation.full_clean(
            exclude=["workstation", "source_message", "opened_by"], validate_constraints=False
        )
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    first = StepRecord(
        step=Consultation.Step.TOPIC,
        date=record.opened_on,
        summary=record.summary.strip() or consultation.description or consultation.topic,
    )
    steps = []
    for step in (first, *record.steps):
        row = ConsultationStep(
            consultation=consultation,
            step=step.step,
            date=step.date,
            summary=step.summary.strip(),
            departments=step.departments.strip(),
            stakeholders=step.stakeholders.strip(),
            residents_count=step.residents_count or 0,
            submitted_to=step.submitted_to.strip(),
        )
        for field, messages in _step_errors(consultation, row, step.members, allowed).items():
            errors.setdefault(f"step {step.step}: {field}", []).extend(messages)
        # As recording the step moves the consultation: forward, never back.
        consultation.stage = max(consultation.stage, step.step)
        if step.problem_solved is not None:
            consultation.problem_solved = step.problem_solved
        steps.append((row, step.members))
    reports = [_media_report(consultation, link) for link in record.media_links]
    for report in reports:
        for field, messages in _media_report_errors(report).items():
            errors.setdefault(f"media report: {field}", []).extend(messages)
    return consultation, steps, reports, errors


@transaction.atomic
def consultations_record(
    *,
    records: Sequence[ConsultationRecord],
    by: AbstractBaseUser | None = None,
    reason: str = "",
) -> list[Consultation]:
    """Write many consultations at once, each with the steps it recorded and its media
    reports, with the history of every row, in a fixed number of queries (the demo's year).

    The rules are those of ``consultation_open`` and ``consultation_record_step`` (each step
    moves the current step forward, members belong to the workstation, steps are dated between
    the opening and today), and a resident's message taken up as the topic moves on from
    "received" to "being handled". A record that breaks a rule refuses the whole batch
    (ValidationError keyed by the record's position), so nothing is half-written.
    """
    seats: dict[int, set[int]] = {}
    for ws_id, member_id in Membership.objects.filter(
        workstation_id__in={r.workstation.pk for r in records}
    ).values_list("workstation_id", "member_id"):
        seats.setdefault(ws_id, set()).add(member_id)
    built, problems = [], {}
    for i, record in enumerate(records):
        consultation, steps, reports, errors = _consultation_from(
            record, seats.get(record.workstation.pk, set())
        )
        if errors:
            problems[i] = errors
        built.append((consultation, steps, reports))
    if problems:
        raise ValidationError(
            {f"record {i}": [ValidationError(e)] for i, e in problems.items()}, code="invalid"
        )
    history = {"user": by, "reason": reason}
    consultations = bulk_create_with_history([c for c, _s, _r in built], Consultation, **history)
    rows = [(row, members) for _c, steps, _r in built for row, members in steps]
    for row, _members in rows:
        row.consultation_id = row.consultation.pk
    bulk_create_with_history(
        [row for row, _m in rows],
        ConsultationStep,
        m2m={"members": [members for _row, members in rows]},
        **history,
    )
    reports = [report for _c, _s, reports in built for report in reports]
    for report in reports:
        report.consultation_id = report.consultation.pk
    MediaReport.objects.bulk_create(reports, batch_size=500)
    taken = {
        r.source_message.pk: r.source_message
        for r in records
        if r.source_message is not None and r.source_message.status == PublicMessage.Status.NEW
    }
    for message in taken.values():
        message.status = PublicMessage.Status.IN_PROGRESS
    bulk_update_with_history(list(taken.values()), PublicMessage, ["status"], **history)
    # The consultations are new: the steps written are all they have, and say every month
    # they are counted in.
    tallies.refresh_months(
        {
            (consultation.workstation.committee_id, row.date, "consultations")
            for consultation, steps, _r in built
            for row, _m in steps
        }
    )
    return consultations
