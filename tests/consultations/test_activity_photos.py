"""Photos that come with a record rather than the member's form (``activity_photos_add``)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from consultations.models import ActivityPhoto
from consultations.services.photos import MAX_PHOTOS, PhotoFile, activity_photos_add
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def photo(caption: str = "") -> PhotoFile:
    return PhotoFile(image=b"jpeg", thumbnail=b"thumb", caption=caption)


@pytest.fixture
def activity(hanshan):
    return ActivityFactory(workstation=hanshan.workstation)


def test_photos_are_stored_with_their_thumbnails_and_captions(activity):
    (added,) = activity_photos_add(activity=activity, files=[photo("委员宣讲现场")])
    stored = ActivityPhoto.objects.get(pk=added.pk)
    assert stored.caption == "委员宣讲现场"
    assert default_storage.open(stored.image.name).read() == b"jpeg"
    assert default_storage.open(stored.thumbnail.name).read() == b"thumb"


def test_the_server_names_the_files(activity):
    (added,) = activity_photos_add(activity=activity, files=[photo()])
    assert re.fullmatch(r"activities/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", added.image.name)
    assert re.fullmatch(r"activities/\d{4}/\d{2}/thumbs/[0-9a-f]{32}\.jpg", added.thumbnail.name)


def test_new_photos_come_after_those_the_activity_has(activity):
    activity_photos_add(activity=activity, files=[photo(), photo()])
    activity_photos_add(activity=activity, files=[photo()])
    assert list(activity.photos.values_list("order", flat=True)) == [1, 2, 3]


def test_no_more_than_the_limit_and_nothing_stored_when_refused(activity):
    activity_photos_add(activity=activity, files=[photo()] * (MAX_PHOTOS - 1))
    folder = activity.photos.first().image.name.rsplit("/", 1)[0]
    files_before = default_storage.listdir(folder)[1]
    with pytest.raises(ValidationError) as excinfo:
        activity_photos_add(activity=activity, files=[photo(), photo()])
    assert "photos" in excinfo.value.message_dict
    assert activity.photos.count() == MAX_PHOTOS - 1
    assert default_storage.listdir(folder)[1] == files_before


def test_a_caption_too_long_is_refused(activity):
    with pytest.raises(ValidationError):
        activity_photos_add(activity=activity, files=[photo("长" * 101)])
    assert not activity.photos.exists()
