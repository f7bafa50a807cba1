"""A member's photo is checked and stored in the request; its thumbnail is made by a task once
the upload has committed, beside the photo. Until then the pages show the photo itself."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from consultations.models import Activity, ActivityPhoto, PendingPhoto
from consultations.services.photos import pending_photos_attach, photo_stage
from consultations.tasks import make_thumbnail
from tests.factories import ActivityFactory
from workstations.photos import THUMB_SIDE

pytestmark = pytest.mark.django_db


def upload(size=(1200, 900)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG")
    return SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), "image/jpeg")


def _stage(user) -> PendingPhoto:
    return photo_stage(user=user, token=uuid.uuid4(), upload=upload())


def test_the_thumbnail_is_made_by_a_task_after_the_upload_commits(
    hanshan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pending = _stage(hanshan.member.user)
        assert not pending.thumbnail  # the request stores the photo alone
    pending.refresh_from_db()
    assert pending.thumbnail.name.rsplit("/", 2)[-2] == "thumbs"
    assert pending.thumbnail.name.rsplit("/", 1)[-1] == pending.image.name.rsplit("/", 1)[-1]
    with pending.thumbnail.open("rb") as stored:
        assert max(Image.open(stored).size) == THUMB_SIDE


def test_a_photo_attached_before_its_thumbnail_gets_one_all_the_same(
    hanshan, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(
        workstation=hanshan.workstation, author=hanshan.member, status=Activity.Status.DRAFT
    )
    with django_capture_on_commit_callbacks(execute=True):
        pending = _stage(hanshan.member.user)
        pending_photos_attach(activity=activity, photos=[pending])
    photo = ActivityPhoto.objects.get(activity=activity)
    assert photo.thumbnail and photo.image.name == pending.image.name


def test_making_a_thumbnail_twice_changes_nothing(hanshan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pending = _stage(hanshan.member.user)
    pending.refresh_from_db()
    made = pending.thumbnail.name
    assert make_thumbnail.delay(model="pendingphoto", pk=pending.pk).get() is False
    pending.refresh_from_db()
    assert pending.thumbnail.name == made


def test_the_page_shows_the_photo_until_its_thumbnail_is_made(hanshan, login):
    activity = ActivityFactory(
        workstation=hanshan.workstation, author=hanshan.member, status=Activity.Status.DRAFT
    )
    # No commit in this test's transaction: the thumbnail's task has not run.
    pending_photos_attach(activity=activity, photos=[_stage(hanshan.member.user)])
    photo = ActivityPhoto.objects.get(activity=activity)
    assert not photo.thumbnail
    client = login(hanshan.member.user)
    url = reverse("me:activity_detail", kwargs={"pk": activity.pk})
    html = client.get(url).content.decode()
    assert f'src="{photo.image.url}"' in html

    make_thumbnail.delay(model="activityphoto", pk=photo.pk)
    photo.refresh_from_db()
    html = client.get(url).content.decode()
    assert f'src="{photo.thumbnail.url}"' in html
    assert f'src="{photo.image.url}"' not in html
