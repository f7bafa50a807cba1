"""Who may fetch the private files of what happens at the workstations: activities' photos
(and photos waiting for their form) and consultation steps' attachments.

``config.files`` asks these for every request of a private file; each finds the file's record
by its stored name (an indexed column) and answers from it. Nobody else is told anything, not
even whether the file exists.
"""

from __future__ import annotations

from django.db.models import Q

from members.models import Member, Membership
from workstations.tenancy import visible_committee_ids

from .models import Activity, ActivityPhoto, ConsultationStep, PendingPhoto


def _staff_sees(user, committee_id: int) -> bool:
    """Office staff of this committee or of one above it (superusers too)."""
    ids = visible_committee_ids(user)
    return ids is None or committee_id in ids


def _member_of(user) -> Member | None:
    member = getattr(user, "member", None) if getattr(user, "is_authenticated", False) else None
    return member if member is not None and member.is_active else None


def activity_files_readable_by(user, activity: Activity) -> bool:
    """Who may see an activity's photos: anyone once it is approved (a photo whose move did not
    finish is still shown); before, the office of its county or above, the member who logged
    it and, once it is submitted, the workstation's convener who reviews it."""
    if activity.photos_are_public:
        return True
    if _staff_sees(user, activity.workstation.committee_id):
        return True
    member = _member_of(user)
    if member is None:
        return False
    if activity.author_id == member.pk:
        return True
    return (
        activity.status != Activity.Status.DRAFT
        and Membership.objects.active()
        .conveners()
        .filter(member=member, workstation_id=activity.workstation_id)
        .exists()
    )


def photo_readable_by(user, stored_name: str) -> bool:
    """Whether ``user`` may fetch the activity photo (or thumbnail) stored as ``stored_name``,
    or the photo they sent with a form not yet saved."""
    named = Q(image=stored_name) | Q(thumbnail=stored_name)
    photo = ActivityPhoto.objects.filter(named).select_related("activity__workstation").first()
    if photo is not None:
        return activity_files_readable_by(user, photo.activity)
    if not getattr(user, "is_authenticated", False):
        return False
    return PendingPhoto.objects.filter(uploaded_by=user).filter(named).exists()


def attachment_readable_by(user, stored_name: str) -> bool:
    """Whether ``user`` may fetch a consultation step's attachment: the office of its county or
    above, and the members who sit in the workstation (who see the consultation's record)."""
    step = (
        ConsultationStep.objects.filter(attachment=stored_name)
        .select_related("consultation__workstation")
        .first()
    )
    if step is None:
        return False
    workstation = step.consultation.workstation
    if _staff_sees(user, workstation.committee_id):
        return True
    member = _member_of(user)
    return (
        member is not None
        and Membership.objects.active().filter(member=member, workstation=workstation).exists()
    )
