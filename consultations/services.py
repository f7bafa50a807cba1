"""Writes about activities, consultations and messages that span models."""

from __future__ import annotations

from django.db import transaction

from workstations.models import Committee

from .models import ActivityType

# (code, name, one of the "五微"): the types a county counts unless it changes them.
DEFAULT_ACTIVITY_TYPES = [
    ("micro_lecture", "微宣讲", True),
    ("micro_governance", "微治理", True),
    ("micro_service", "微服务", True),
    ("micro_consultation", "微协商", True),
    ("micro_supervision", "微监督", True),
    ("micro_suggestion", "微建议", False),
    ("theory_study", "理论学习", False),
    ("reception", "接待群众", False),
    ("research", "调研视察", False),
    ("free_clinic", "义诊", False),
    ("legal_aid", "普法", False),
    ("reading", "读书", False),
    ("training", "培训", False),
]


@transaction.atomic
def committee_seed_activity_types(*, committee: Committee) -> None:
    """Give a committee the usual activity types; keeps anything already there."""
    for order, (code, name, five_micro) in enumerate(DEFAULT_ACTIVITY_TYPES):
        ActivityType.objects.get_or_create(
            committee=committee,
            code=code,
            defaults={"name": name, "is_five_micro": five_micro, "order": order},
        )


# --- Residents' messages (群众留言) --------------------------------------------------------------
# (Imports of this section sit here so that the section can be read on its own.)

import datetime  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.mail import send_mail  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from members.models import Member, Membership  # noqa: E402
from workstations.models import Workstation  # noqa: E402

from .models import Consultation, PublicMessage  # noqa: E402


def message_create(
    *,
    workstation: Workstation,
    mobile: str,
    category: str,
    text: str,
    name: str = "",
    reply_may_be_published: bool = False,
    site_url: str = "",
) -> PublicMessage:
    """Record a resident's message for a published workstation and, once the transaction has
    committed, tell the workstation's conveners by e-mail.

    ``site_url`` (e.g. ``https://example.org/``) makes the link to the back office absolute.
    """
    message = PublicMessage(
        workstation=workstation,
        name=name,
        mobile=mobile,
        category=category,
        text=text,
        reply_may_be_published=reply_may_be_published,
    )
    message.full_clean()
    message.save()
    transaction.on_commit(lambda: message_notify_conveners(message=message, site_url=site_url))
    return message


def message_notify_conveners(*, message: PublicMessage, site_url: str = "") -> int:
    """E-mail the workstation's conveners in force that a message came in; returns how many.

    The e-mail carries neither the resident's mobile nor the tracking code: a mailbox is not a
    safe place for the one, and whoever holds the other may rate how the message was handled.
    Both stay in the back office.
    """
    recipients = sorted(
        set(
            Membership.objects.active()
            .conveners()
            .filter(
                workstation=message.workstation,
                member__is_active=True,
                member__user__is_active=True,
            )
            .exclude(member__user__email="")
            .values_list("member__user__email", flat=True)
        )
    )
    if not recipients:
        return 0
    try:
        admin_path = reverse("admin:consultations_publicmessage_change", args=[message.pk])
    except NoReverseMatch:  # the back office does not list messages (yet)
        admin_path = ""
    context = {
        "message": message,
        "workstation": message.workstation,
        "admin_url": (site_url.rstrip("/") + admin_path) if admin_path else "",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("consultations/email/message_new_subject.txt", context)
        body = render_to_string("consultations/email/message_new.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)
    return len(recipients)


def message_rate(*, message: PublicMessage, rating: int) -> bool:
    """Record the resident's rating (1–5) of how a closed message was handled.

    Only a closed message can be rated, and only once: the update is conditional, so two
    requests racing cannot both rate. Returns whether the rating was recorded.
    """
    if not 1 <= int(rating) <= 5:
        raise ValueError("A rating is from 1 to 5.")
    now = timezone.now()
    updated = PublicMessage.objects.filter(
        pk=message.pk, status=PublicMessage.Status.CLOSED, rating__isnull=True
    ).update(rating=int(rating), rated_at=now)
    if updated:
        message.rating, message.rated_at = int(rating), now
    return bool(updated)


@transaction.atomic
def message_to_consultation(
    *,
    message: PublicMessage,
    topic: str = "",
    opened_on: datetime.date | None = None,
    opened_by: Member | None = None,
) -> Consultation:
    """Turn a resident's message into a consultation topic (群众出题).

    The consultation starts at the topic step, unpublished, at the message's workstation; the
    message moves on from "received" to "being handled". Only the topic (by default the message's
    first line) is taken over: the resident's words, name and mobile stay with the message, and
    staff read the topic before they publish the consultation.
    """
    consultation = Consultation(
        workstation=message.workstation,
        topic=(topic or message.text.strip().splitlines()[0])[:150],
        topic_source=Consultation.TopicSource.RESIDENTS,
        source_message=message,
        opened_on=opened_on or timezone.localdate(),
        opened_by=opened_by,
        is_published=False,
    )
    consultation.full_clean()
    consultation.save()
    if message.status == PublicMessage.Status.NEW:
        message.status = PublicMessage.Status.IN_PROGRESS
        message.save(update_fields=["status"])
    return consultation


# --- The member workspace: activities from a phone, their review, consultations step by step ----
# (Imports of this section sit here so that the section can be read on its own.)

import os  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterable, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from django.contrib.auth.models import AbstractBaseUser  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.uploadedfile import UploadedFile  # noqa: E402
from django.db import IntegrityError  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.template.defaultfilters import filesizeformat  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from .models import (  # noqa: E402
    Activity,
    ActivityPhoto,
    ActivityReview,
    ConsultationStep,
    MediaReport,
    PendingPhoto,
)
from .photos import MAX_UPLOAD_BYTES, PhotoError, process_photo  # noqa: E402

MAX_PHOTOS = 9
# A member may change their own log while it is a draft or has been returned to them.
EDITABLE_STATUSES = frozenset({Activity.Status.DRAFT, Activity.Status.RETURNED})
PENDING_PHOTO_LIFETIME = datetime.timedelta(days=2)
ATTACHMENT_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "txt", "jpg", "jpeg", "png"}
)
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png"})


@dataclass(frozen=True)
class MediaLink:
    """A media report on an activity: its link and, if the member typed them, title and outlet."""

    url: str
    title: str = ""
    outlet: str = ""


def activity_is_editable(activity: Activity) -> bool:
    return activity.status in EDITABLE_STATUSES


def _member_sits_in(member: Member, workstation: Workstation) -> bool:
    return Membership.objects.active().filter(member=member, workstation=workstation).exists()


def _check_participants(workstation: Workstation, participants: Sequence[Member]) -> None:
    allowed = set(
        Membership.objects.active()
        .filter(workstation=workstation)
        .values_list("member_id", flat=True)
    )
    if any(m.pk not in allowed for m in participants):
        raise ValidationError(
            {"participants": _("Only members of this workstation can be listed as taking part.")}
        )


def _replace_media_links(activity: Activity, links: Sequence[MediaLink]) -> None:
    activity.media_reports.all().delete()
    for link in links:
        report = MediaReport(
            activity=activity,
            url=link.url,
            title=(link.title or link.outlet or link.url)[:150],
            outlet=link.outlet[:50],
        )
        report.full_clean()
        report.save()


def _photo_count_after(activity: Activity | None, *, adding: int, removing: int = 0) -> int:
    existing = activity.photos.count() if activity is not None and activity.pk else 0
    return existing - removing + adding


def _check_photo_count(count: int) -> None:
    if count > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("An activity can have at most %(max)d photos.") % {"max": MAX_PHOTOS}}
        )


def _attach_photos(activity: Activity, photos: Sequence[PendingPhoto]) -> None:
    """Move photos waiting for the form onto the activity; their files stay where they are."""
    order = (activity.photos.aggregate(m=Max("order"))["m"] or 0) + 1
    for offset, pending in enumerate(photos):
        ActivityPhoto.objects.create(
            activity=activity,
            image=pending.image.name,
            thumbnail=pending.thumbnail.name,
            order=order + offset,
        )
    PendingPhoto.objects.filter(pk__in=[p.pk for p in photos]).delete()


def _delete_files_on_commit(*fields) -> None:
    names = [(f.storage, f.name) for f in fields if f and f.name]

    def delete() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def _default_title(activity_type, place: str) -> str:
    return f"{activity_type.name} · {place}"[:100] if place else activity_type.name


@transaction.atomic
def activity_create(
    *,
    author: Member,
    workstation: Workstation,
    token: uuid.UUID,
    type,
    date: datetime.date,
    title: str = "",
    place: str = "",
    residents_served: int = 0,
    description: str = "",
    participants: Sequence[Member] = (),
    media_links: Sequence[MediaLink] = (),
    photos: Sequence[PendingPhoto] = (),
) -> tuple[Activity, bool]:
    """Log a draft activity at a workstation the author sits in; returns (activity, created).

    ``token`` is the one-time token of the form: when an activity of this author already carries
    it (a double tap, a reload after the answer got lost) that activity is returned untouched and
    ``created`` is False. The unique constraint on (author, token) settles two requests racing.
    An empty title is made from the type and the place.
    """
    existing = Activity.objects.filter(author=author, client_token=token).first()
    if existing is not None:
        return existing, False
    if not _member_sits_in(author, workstation):
        raise ValidationError(_("You can only log activities at a workstation you sit in."))
    _check_participants(workstation, participants)
    _check_photo_count(len(photos))
    activity = Activity(
        workstation=workstation,
        author=author,
        client_token=token,
        type=type,
        title=title.strip() or _default_title(type, place.strip()),
        date=date,
        place=place.strip(),
        residents_served=residents_served or 0,
        description=description.strip(),
        status=Activity.Status.DRAFT,
    )
    activity.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        # The same form, posted twice at once: the other request created it.
        return Activity.objects.get(author=author, client_token=token), False
    activity.participants.set(participants)
    _replace_media_links(activity, media_links)
    _attach_photos(activity, photos)
    return activity, True


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    token: uuid.UUID,
    type,
    date: datetime.date,
    title: str = "",
    place: str = "",
    residents_served: int = 0,
    description: str = "",
    participants: Sequence[Member] = (),
    media_links: Sequence[MediaLink] = (),
    photos: Sequence[PendingPhoto] = (),
    remove_photos: Sequence[ActivityPhoto] = (),
) -> bool:
    """Change a draft or returned activity; returns False when this form was already applied.

    The activity row is locked while it changes, so a double tap applies the form once.
    """
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.client_token == token:
        return False
    if not activity_is_editable(locked):
        raise ValidationError(
            _("This activity has been submitted or approved and can no longer be changed."),
            code="not_editable",
        )
    _check_participants(locked.workstation, participants)
    remove_ids = {p.pk for p in remove_photos if p.activity_id == locked.pk}
    _check_photo_count(_photo_count_after(locked, adding=len(photos), removing=len(remove_ids)))
    locked.client_token = token
    locked.type = type
    locked.date = date
    locked.place = place.strip()
    locked.title = title.strip() or _default_title(type, locked.place)
    locked.residents_served = residents_served or 0
    locked.description = description.strip()
    locked.full_clean(validate_constraints=False)
    locked.save()
    locked.participants.set(participants)
    _replace_media_links(locked, media_links)
    for photo in ActivityPhoto.objects.filter(activity=locked, pk__in=remove_ids):
        _delete_files_on_commit(photo.image, photo.thumbnail)
        photo.delete()
    _attach_photos(locked, photos)
    activity.refresh_from_db()
    return True


@transaction.atomic
def activity_submit(*, activity: Activity, by: AbstractBaseUser) -> bool:
    """Send a draft or returned activity to the workstation's convener for review.

    Returns False, changing nothing, when it is already submitted or approved (a double tap).
    """
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.status in {Activity.Status.SUBMITTED, Activity.Status.APPROVED}:
        return False
    if not locked.description.strip():
        raise ValidationError(
            {"description": _("Say briefly what was done before you submit.")},
            code="incomplete",
        )
    now = timezone.now()
    locked.status = Activity.Status.SUBMITTED
    locked.submitted_at = now
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    ActivityReview.objects.create(
        activity=locked, action=ActivityReview.Action.SUBMITTED, at=now, by=by
    )
    activity.refresh_from_db()
    return True


def _lock_submitted(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


@transaction.atomic
def activity_return(*, activity: Activity, by: AbstractBaseUser, comment: str) -> bool:
    """Return a submitted activity to its member with a comment saying what to change.

    Returns False when it has already been returned (a double tap); refuses once approved.
    """
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say what the member should change.")}, code="comment_required"
        )
    locked = _lock_submitted(activity)
    if locked.status == Activity.Status.RETURNED:
        return False
    if locked.status != Activity.Status.SUBMITTED:
        raise ValidationError(_("This activity is not waiting for review."), code="not_submitted")
    now = timezone.now()
    locked.status = Activity.Status.RETURNED
    locked.review_comment = comment
    locked.save(update_fields=["status", "review_comment", "updated_at"])
    ActivityReview.objects.create(
        activity=locked, action=ActivityReview.Action.RETURNED, at=now, by=by, comment=comment
    )
    activity.refresh_from_db()
    return True


@transaction.atomic
def activity_approve(*, activity: Activity, by: AbstractBaseUser, comment: str = "") -> bool:
    """Approve a submitted activity: it is published (on a published workstation's page).

    Returns False when it is already approved (a double tap).
    """
    locked = _lock_submitted(activity)
    if locked.status == Activity.Status.APPROVED:
        return False
    if locked.status != Activity.Status.SUBMITTED:
        raise ValidationError(_("This activity is not waiting for review."), code="not_submitted")
    now = timezone.now()
    locked.status = Activity.Status.APPROVED
    locked.approved_at = now
    locked.approved_by = by
    locked.review_comment = comment.strip()
    locked.save(
        update_fields=["status", "approved_at", "approved_by", "review_comment", "updated_at"]
    )
    ActivityReview.objects.create(
        activity=locked,
        action=ActivityReview.Action.APPROVED,
        at=now,
        by=by,
        comment=comment.strip(),
    )
    activity.refresh_from_db()
    return True


# Photos waiting for their form


def photo_stage(*, user: AbstractBaseUser, token: uuid.UUID, upload: UploadedFile) -> PendingPhoto:
    """Check, convert and store one uploaded photo under the form's token (see PendingPhoto).

    Raises ``PhotoError`` (a ValidationError) with a message for the member when the file is
    too big, not an image or a decompression bomb.
    """
    processed = process_photo(upload)
    pending = PendingPhoto(token=token, uploaded_by=user)
    pending.image.save(processed.image.name, processed.image, save=False)
    pending.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
    pending.save()
    return pending


def pending_photos(*, user: AbstractBaseUser, token: uuid.UUID, ids: Iterable[int] | None = None):
    """The photos this user uploaded with the form ``token`` (only those in ``ids``, if given)."""
    photos = PendingPhoto.objects.filter(uploaded_by=user, token=token)
    if ids is not None:
        photos = photos.filter(pk__in=list(ids))
    return photos


def pending_photos_discard(*, photos: Iterable[PendingPhoto]) -> None:
    """Delete photos waiting for a form, and their files."""
    for pending in photos:
        _delete_files_on_commit(pending.image, pending.thumbnail)
        pending.delete()


def pending_photos_purge(*, older_than: datetime.timedelta = PENDING_PHOTO_LIFETIME) -> int:
    """Delete photos whose form was abandoned; returns how many."""
    stale = list(PendingPhoto.objects.filter(created_at__lt=timezone.now() - older_than))
    with transaction.atomic():
        pending_photos_discard(photos=stale)
    return len(stale)


# Consultations step by step


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
