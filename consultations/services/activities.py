"""Activities logged from a phone (履职活动) and their review: draft → submitted → approved
and published, or returned to the member with a comment. Every step is an ``ActivityReview``."""

from __future__ import annotations

import copy as copy_module
import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, Membership
from workstations.history import bulk_create_with_history, bulk_update_with_history
from workstations.models import Workstation

from .. import tallies
from ..models import Activity, ActivityPhoto, ActivityReview, MediaReport, PendingPhoto
from .photos import (
    MAX_PHOTOS,
    activity_photos_place,
    delete_files_on_commit,
    pending_photos_attach,
)

# A member may change their own log while it is a draft or has been returned to them.
EDITABLE_STATUSES = frozenset({Activity.Status.DRAFT, Activity.Status.RETURNED})


@dataclass(frozen=True)
class MediaLink:
    """A media report on an activity: its link and, if known, title, outlet and date."""

    url: str
    title: str = ""
    outlet: str = ""
    published_on: datetime.date | None = None


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
    pending_photos_attach(activity=activity, photos=photos)
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
        delete_files_on_commit(photo.image, photo.thumbnail)
        photo.delete()
    pending_photos_attach(activity=locked, photos=photos)
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
    activity_photos_place(activities=[locked])
    activity.refresh_from_db()
    return True


def _lock_submitted(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


@transaction.atomic
def activity_return(*, activity: Activity, by: AbstractBaseUser, comment: str) -> bool:
    """Return a submitted activity to its member with a comment saying what to change; its
    photos stay in (or go back to) the private storage.

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
    activity_photos_place(activities=[locked])
    activity.refresh_from_db()
    return True


@transaction.atomic
def activity_approve(*, activity: Activity, by: AbstractBaseUser, comment: str = "") -> bool:
    """Approve a submitted activity: it is published (on a published workstation's page), and
    its photos move into the public storage.

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
    tallies.refresh_for([locked])
    # Last, so that nothing after it can fail: its photos go public with the approval or,
    # if a copy fails, the approval is undone with them (services.photos.photos_place).
    activity_photos_place(activities=[locked])
    activity.refresh_from_db()
    return True


# --- Many at once: an office's ledger imported, a year of the demo -------------------------------

Status = Activity.Status
# Where a log may go from each status, as submitting, returning and approving move it; an
# approved log stays approved (an import never takes a published record back).
MOVES = {
    Status.DRAFT: {Status.SUBMITTED, Status.RETURNED, Status.APPROVED},
    Status.RETURNED: {Status.SUBMITTED, Status.APPROVED},
    Status.SUBMITTED: {Status.RETURNED, Status.APPROVED},
    Status.APPROVED: set(),
}


@dataclass
class ActivityRecord:
    """One activity as it was held, for ``activities_record``: what a log says, who took part,
    its media reports, and how far its review went (with when and by whom, for a year that
    already happened).

    ``activity`` is the stored activity a record updates, or None for a new one; an update
    replaces the participants, and the media reports when it names any.
    """

    workstation: Workstation
    type: object  # an ActivityType of the workstation's committee
    date: datetime.date
    title: str = ""
    place: str = ""
    residents_served: int = 0
    description: str = ""
    participants: Sequence[Member] = ()
    author: Member | None = None
    status: str = Status.DRAFT
    submitted_at: datetime.datetime | None = None
    submitted_by: AbstractBaseUser | None = None
    returned_comment: str = ""
    approved_at: datetime.datetime | None = None
    approved_by: AbstractBaseUser | None = None
    media_links: Sequence[MediaLink] = ()
    activity: Activity | None = None


class Seats:
    """Who sits in which workstation, read once for many records: a participant must sit in
    the workstation on the activity's date or today (a member who has left since still took
    part; one who joined since is listed by the convener who knows them)."""

    def __init__(self, workstation_ids):
        self.places: dict[tuple[int, int], list] = {}
        for m in Membership.objects.filter(workstation_id__in=set(workstation_ids)).only(
            "member_id", "workstation_id", "since", "until"
        ):
            self.places.setdefault((m.workstation_id, m.member_id), []).append((m.since, m.until))

    def sits(self, workstation_id: int, member_id: int, on: datetime.date) -> bool:
        today = timezone.localdate()
        return any(
            (since is None or since <= day) and (until is None or until >= day)
            for since, until in self.places.get((workstation_id, member_id), ())
            for day in (on, today)
        )


def activity_record_errors(
    record: ActivityRecord, seats: Seats, *, before: str = Status.DRAFT
) -> dict[str, list[str]]:
    """What is wrong with one record, by field, under the rules of the single-activity services
    (empty when nothing): the model's own rules, participants and author who sit in the
    workstation, what was done said before it is submitted, a comment on a returned log, and a
    status that moves as the review moves it from ``before`` (the stored status)."""
    errors: dict[str, list[str]] = {}
    activity = _activity_from(record, copy=True)
    try:
        activity.full_clean(
            exclude=["workstation", "type", "author", "approved_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    ws_id = record.workstation.pk
    if any(not seats.sits(ws_id, m.pk, record.date) for m in record.participants):
        errors.setdefault("participants", []).append(
            _("Only members of this workstation can be listed as taking part.")
        )
    if record.author is not None and not seats.sits(ws_id, record.author.pk, record.date):
        errors.setdefault("author", []).append(
            _("You can only log activities at a workstation you sit in.")
        )
    if record.status != Status.DRAFT and not record.description.strip():
        errors.setdefault("description", []).append(
            _("Say briefly what was done before you submit.")
        )
    if record.status == Status.RETURNED and not record.returned_comment.strip():
        errors.setdefault("status", []).append(_("Say what the member should change."))
    if record.status != before and record.status not in MOVES[before]:
        errors.setdefault("status", []).append(
            _("This activity is already “%(now)s”; it cannot go back to “%(then)s”.")
            % {"now": Status(before).label, "then": Status(record.status).label}
        )
    return errors


def _activity_from(record: ActivityRecord, *, copy: bool = False) -> Activity:
    """The activity a record describes: the stored one with the record's values, or a new one
    (a copy of the stored one, to check it without changing it)."""
    if record.activity is None:
        activity = Activity()
    else:
        activity = copy_module.copy(record.activity) if copy else record.activity
    activity.workstation = record.workstation
    activity.type = record.type
    activity.date = record.date
    activity.place = record.place.strip()
    activity.title = record.title.strip() or _default_title(record.type, activity.place)
    activity.residents_served = record.residents_served or 0
    activity.description = record.description.strip()
    if record.activity is None:
        activity.author = record.author
    return activity


def _review_steps(record: ActivityRecord, before: str, now: datetime.datetime, by) -> list:
    """The review steps a record adds to the trail, moving from ``before`` to its status:
    (action, when, by whom, comment)."""
    target = record.status
    if target == before:
        return []
    steps = []
    submitted_at = record.submitted_at or now
    reviewer = record.approved_by or by
    if target != Status.DRAFT and before in (Status.DRAFT, Status.RETURNED):
        steps.append((ActivityReview.Action.SUBMITTED, submitted_at, record.submitted_by or by, ""))
    if target == Status.RETURNED:
        comment = record.returned_comment.strip()
        at = record.approved_at or submitted_at
        steps.append((ActivityReview.Action.RETURNED, at, reviewer, comment))
    elif target == Status.APPROVED:
        steps.append((ActivityReview.Action.APPROVED, record.approved_at or now, reviewer, ""))
    return steps


@transaction.atomic
def activities_record(
    *,
    records: Sequence[ActivityRecord],
    by: AbstractBaseUser | None = None,
    reason: str = "",
) -> list[Activity]:
    """Write many activities at once, each as far as its review went, with the review trail and
    the history of every row, in a fixed number of queries (an office's ledger imported, the
    demo's year). ``by`` is who did it (the importing clerk) wherever a record names nobody.

    The rules are those of logging, submitting, returning and approving one activity
    (``activity_record_errors``); a record that breaks one refuses the whole batch
    (ValidationError keyed by the record's position), so nothing is half-written.
    """
    seats = Seats(r.workstation.pk for r in records)
    stored_rows = Activity.objects.filter(
        pk__in=[r.activity.pk for r in records if r.activity is not None]
    ).values_list("pk", "status", "date", "workstation__committee_id")
    stored = {pk: status for pk, status, _d, _c in stored_rows}
    counted_before = {(committee, date, "activities") for _pk, _s, date, committee in stored_rows}

    def before(record: ActivityRecord) -> str:
        return stored.get(record.activity.pk) if record.activity is not None else Status.DRAFT

    problems = {
        i: e
        for i, r in enumerate(records)
        if (e := activity_record_errors(r, seats, before=before(r)))
    }
    if problems:
        raise ValidationError(
            {f"record {i}": [ValidationError(e)] for i, e in problems.items()}, code="invalid"
        )
    now = timezone.now()
    created, updated, reviews = [], [], []
    for record in records:
        activity = _activity_from(record)
        steps = _review_steps(record, before(record), now, by)
        for action, at, who, _comment in steps:
            if action == ActivityReview.Action.SUBMITTED:
                activity.submitted_at = at
            elif action == ActivityReview.Action.APPROVED:
                activity.approved_at, activity.approved_by = at, who
        activity.status = record.status
        if record.status == Status.RETURNED:
            activity.review_comment = record.returned_comment.strip()
        activity.updated_at = now
        (updated if activity.pk else created).append((activity, record, steps))
    history = {"user": by, "reason": reason}
    new = bulk_create_with_history(
        [a for a, _r, _s in created],
        Activity,
        m2m={"participants": [r.participants for _a, r, _s in created]},
        **history,
    )
    bulk_update_with_history(
        [a for a, _r, _s in updated],
        Activity,
        [
            "type", "title", "date", "place", "residents_served", "description", "status",
            "review_comment", "submitted_at", "approved_at", "approved_by", "updated_at",
        ],
        m2m={"participants": [r.participants for _a, r, _s in updated]},
        **history,
    )  # fmt: skip
    for activity, _record, steps in (*created, *updated):
        reviews += [
            ActivityReview(activity=activity, action=action, at=at, by=who, comment=comment)
            for action, at, who, comment in steps
        ]
    ActivityReview.objects.bulk_create(reviews, batch_size=500)
    with_links = [(a, r) for a, r, _s in (*created, *updated) if r.media_links]
    MediaReport.objects.filter(
        activity__in=[a for a, r in with_links if r.activity is not None]
    ).delete()
    reports = [
        MediaReport(
            activity=activity,
            url=link.url,
            title=(link.title or link.outlet or link.url)[:150],
            outlet=link.outlet[:50],
            published_on=link.published_on,
        )
        for activity, record in with_links
        for link in record.media_links
    ]
    for report in reports:
        report.full_clean(exclude=["activity"])
    MediaReport.objects.bulk_create(reports, batch_size=500)
    # New records have no photos yet; an updated one whose status moved places its photos.
    activity_photos_place(activities=[a for a, r, _s in updated if r.status != before(r)])
    written = [*new, *(a for a, _r, _s in updated)]
    # The months counted before (an update may move an activity) and after.
    tallies.refresh_months(
        counted_before | {(a.workstation.committee_id, a.date, "activities") for a in written}
    )
    return written
