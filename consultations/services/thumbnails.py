"""Thumbnails of the members' photos, made by a task after the upload (``make_thumbnail``).

The request checks and re-encodes a photo (``process_photo``) and stores it without its
thumbnail; once the upload has committed a task makes the thumbnail from the stored photo and
puts it beside it. Until then every page shows the photo itself (the templates fall back to
``photo.image`` while ``photo.thumbnail`` is empty).

A photo may move while its thumbnail is being made: attached to its activity (the waiting row
becomes an ``ActivityPhoto``, which asks for its own thumbnail if it has none), or moved to the
other storage (an approval, ``photos_place``). The thumbnail is recorded only if the row still
holds the photo it was made from; otherwise it is thrown away and made again.
"""

from __future__ import annotations

import posixpath

from workstations.photos import thumbnail_of
from workstations.tasks import enqueue_on_commit

from ..models import ActivityPhoto, PendingPhoto
from ..tasks import make_thumbnail

MODELS = {"pendingphoto": PendingPhoto, "activityphoto": ActivityPhoto}
TRIES = 3


def photo_thumbnail_later(*, photo: PendingPhoto | ActivityPhoto) -> None:
    """Have the photo's thumbnail made by a task, once the transaction has committed."""
    enqueue_on_commit(make_thumbnail, kwargs={"model": photo._meta.model_name, "pk": photo.pk})


def photo_thumbnail_make(*, model: str, pk: int) -> bool:
    """Make and record the thumbnail of the photo ``pk`` of ``model`` ("pendingphoto" or
    "activityphoto") if it has none; returns whether one was made. A photo gone (attached,
    purged, deleted) or already with a thumbnail is left alone, so running it twice is safe."""
    photos = MODELS[model].objects.all()
    for _try in range(TRIES):
        photo = photos.filter(pk=pk).first()
        if photo is None or photo.thumbnail or not photo.image:
            return False
        image_name = photo.image.name
        with photo.image.open("rb") as stored:
            content = thumbnail_of(stored.read(), image_name)
        photo.thumbnail.save(posixpath.basename(image_name), content, save=False)
        if photos.filter(pk=pk, image=image_name, thumbnail="").update(
            thumbnail=photo.thumbnail.name
        ):
            return True
        # The photo moved or was given a thumbnail meanwhile: this one belongs to nothing.
        photo.thumbnail.storage.delete(photo.thumbnail.name)
    return False
