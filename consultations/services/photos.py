"""Photos of activities. From the member's form they wait (``PendingPhoto``) under the form's
one-time token while the rest of the form is filled in, are attached to the activity when it is
saved, and are purged when the form is abandoned (``manage.py purge_pending_photos``). Photos
that come with a record rather than a form (the demo's year) are added by ``activity_photos_add``.

Where the files are kept follows the activity's state (``Activity.photos_are_public``): in the
private storage until it is approved, then in the public one. Every service that changes an
activity's status places its photos (``photos_place``) inside its transaction, last.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workstations.files import PRIVATE_PREFIX, Placed, file_move, in_batches
from workstations.photos import PhotoError, new_photo_name, process_photo

from ..models import Activity, ActivityPhoto, PendingPhoto
from . import thumbnails

MAX_PHOTOS = 9
PENDING_PHOTO_LIFETIME = datetime.timedelta(days=2)


def delete_files_on_commit(*fields) -> None:
    """Delete the files of these file fields once the transaction has committed (not before:
    a rolled-back change must find its files still there)."""
    names = [(f.storage, f.name) for f in fields if f and f.name]

    def delete() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def photo_stage(*, user: AbstractBaseUser, token: uuid.UUID, upload: UploadedFile) -> PendingPhoto:
    """Check, convert and store one uploaded photo under the form's token (see PendingPhoto).

    Raises ``PhotoError`` (a ValidationError) with a message for the member when the file is
    too big, not an image or a decompression bomb. The thumbnail is made by a task once the
    upload has committed (``thumbnails``); the form shows the photo itself until then.
    """
    processed = process_photo(upload, thumbnail=False)
    pending = PendingPhoto(token=token, uploaded_by=user)
    pending.image.save(processed.image.name, processed.image, save=False)
    pending.save()
    thumbnails.photo_thumbnail_later(photo=pending)
    return pending


@dataclass
class StagedPhotos:
    """The photos of one post of a form: every photo now waiting for it (those kept from an
    earlier post and the new ones), the new ones alone, and what was refused and why."""

    waiting: list[PendingPhoto] = field(default_factory=list)
    new: list[PendingPhoto] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def photos_stage_for_form(
    *,
    user: AbstractBaseUser,
    token: uuid.UUID,
    uploads: Sequence[UploadedFile],
    keep: Iterable[int] = (),
    activity: Activity | None = None,
    removing: Iterable[int] = (),
) -> StagedPhotos:
    """Stage the photos of one post of an activity's form, so that nothing is lost if another
    field needs fixing.

    Photos sent earlier with this form stay waiting if their ids are in ``keep`` (the member
    may have taken one out: it is discarded). New uploads are checked and staged while the
    activity has room for them: ``MAX_PHOTOS`` counting the photos it already has, less those
    in ``removing``. A refused upload (too many, not a photo) is named in ``errors``; the others
    are staged all the same.
    """
    keep = set(keep)
    earlier = list(pending_photos(user=user, token=token))
    result = StagedPhotos(waiting=[p for p in earlier if p.pk in keep])
    pending_photos_discard(photos=[p for p in earlier if p.pk not in keep])
    stored = list(activity.photos.values_list("pk", flat=True)) if activity and activity.pk else []
    removing = set(removing)
    room = MAX_PHOTOS - len([pk for pk in stored if pk not in removing]) - len(result.waiting)
    for upload in uploads:
        if room <= 0:
            result.errors.append(
                _("An activity can have at most %(max)d photos; “%(name)s” was not added.")
                % {"max": MAX_PHOTOS, "name": (upload.name or "")[:80]}
            )
            continue
        try:
            staged = photo_stage(user=user, token=token, upload=upload)
        except PhotoError as error:
            result.errors.extend(error.messages)
            continue
        result.waiting.append(staged)
        result.new.append(staged)
        room -= 1
    return result


def pending_photos(*, user: AbstractBaseUser, token: uuid.UUID, ids: Iterable[int] | None = None):
    """The photos this user uploaded with the form ``token`` (only those in ``ids``, if given)."""
    photos = PendingPhoto.objects.filter(uploaded_by=user, token=token)
    if ids is not None:
        photos = photos.filter(pk__in=list(ids))
    return photos


def pending_photos_attach(*, activity: Activity, photos: Sequence[PendingPhoto]) -> None:
    """Move photos waiting for the form onto the activity; their files stay where they are (in
    the private storage, as the activity's: a member changes only drafts and returned logs)."""
    order = (activity.photos.aggregate(m=Max("order"))["m"] or 0) + 1
    # Read again: a thumbnail may have been made since these rows were read.
    made = dict(
        PendingPhoto.objects.filter(pk__in=[p.pk for p in photos]).values_list("pk", "thumbnail")
    )
    for offset, pending in enumerate(photos):
        photo = ActivityPhoto.objects.create(
            activity=activity,
            image=pending.image.name,
            thumbnail=made.get(pending.pk) or pending.thumbnail.name,
            order=order + offset,
        )
        if not photo.thumbnail:
            thumbnails.photo_thumbnail_later(photo=photo)
    PendingPhoto.objects.filter(pk__in=[p.pk for p in photos]).delete()


def pending_photos_discard(*, photos: Iterable[PendingPhoto]) -> None:
    """Delete photos waiting for a form, and their files."""
    for pending in photos:
        delete_files_on_commit(pending.image, pending.thumbnail)
        pending.delete()


def pending_photos_purge(*, older_than: datetime.timedelta = PENDING_PHOTO_LIFETIME) -> int:
    """Delete photos whose form was abandoned; returns how many."""
    stale = list(PendingPhoto.objects.filter(created_at__lt=timezone.now() - older_than))
    with transaction.atomic():
        pending_photos_discard(photos=stale)
    return len(stale)


@dataclass(frozen=True)
class PhotoFile:
    """A photo ready to be stored: a JPEG and its thumbnail, already checked and encoded (an
    upload goes through ``process_photo`` first), and its caption."""

    image: bytes
    thumbnail: bytes
    caption: str = ""


@transaction.atomic
def activity_photos_add(*, activity: Activity, files: Sequence[PhotoFile]) -> list[ActivityPhoto]:
    """Add photos to an activity, after those it has, each under a name the server makes.

    Refuses (ValidationError) photos that would take the activity past ``MAX_PHOTOS``, or a
    caption too long, before any file is stored. For photos that come with a record rather than
    the member's form (which stages them first: ``photos_stage_for_form``).
    """
    stored = activity.photos.aggregate(count=Count("pk"), last=Max("order"))
    if stored["count"] + len(files) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("An activity can have at most %(max)d photos.") % {"max": MAX_PHOTOS}}
        )
    first = (stored["last"] or 0) + 1
    photos = [
        ActivityPhoto(activity=activity, caption=f.caption.strip(), order=first + offset)
        for offset, f in enumerate(files)
    ]
    for photo in photos:
        photo.full_clean(exclude=["activity", "image", "thumbnail"])
    for photo, f in zip(photos, files, strict=True):
        name = new_photo_name()
        photo.image.save(name, ContentFile(f.image), save=False)
        photo.thumbnail.save(name, ContentFile(f.thumbnail), save=False)
    return ActivityPhoto.objects.bulk_create(photos)


def photos_place(*, photos: Iterable[ActivityPhoto]) -> Placed:
    """Put each photo's files where its activity's state says (public once approved, private
    before), one photo at a time: copy, save the row, delete the old copies after commit.

    A copy that fails raises and leaves that photo as it was (``workstations.files.file_move``),
    so the caller's change (an approval) is rolled back with it rather than published with its
    photos behind; ``manage.py place_files`` puts right anything placed before this rule.
    Photos already in place cost nothing but the query that found them.
    """
    placed = Placed()
    for photo in photos:
        placed += file_move(photo, ["image", "thumbnail"], private=not photo.is_public)
    return placed


def activity_photos_place(*, activities: Iterable[Activity]) -> Placed:
    """Place the photos of these activities (``photos_place``), after a change of status."""
    ids = [a.pk for a in activities]
    if not ids:
        return Placed()
    photos = ActivityPhoto.objects.filter(activity_id__in=ids).select_related("activity")
    return photos_place(photos=photos)


def misplaced_photos_place() -> tuple[Placed, Placed]:
    """Put right every activity photo and every photo waiting for a form whose files are not
    where the rule says (a site upgraded from the time every upload was public); returns what
    was done to each. Photos already in place are not read."""
    activity_photos = photos_place(
        photos=in_batches(ActivityPhoto.objects.misplaced().select_related("activity"))
    )
    waiting = Placed()
    public = ~Q(image__startswith=PRIVATE_PREFIX) | ~Q(thumbnail__startswith=PRIVATE_PREFIX)
    for pending in in_batches(PendingPhoto.objects.filter(public)):
        waiting += file_move(pending, ["image", "thumbnail"], private=True)
    return activity_photos, waiting
