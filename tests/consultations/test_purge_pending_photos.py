"""manage.py purge_pending_photos: photos of forms never saved go, with their files; a form still
being filled in keeps its photos. Opening the form purges nothing (no housekeeping on a GET)."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from consultations.models import PendingPhoto
from tests.personas import add_workspace_personas

pytestmark = pytest.mark.django_db


def pending(user, *, hours_old: float) -> PendingPhoto:
    photo = PendingPhoto(token=uuid.uuid4(), uploaded_by=user)
    photo.image.save("p.jpg", ContentFile(b"jpeg"), save=False)
    photo.thumbnail.save("t.jpg", ContentFile(b"jpeg"), save=False)
    photo.save()
    then = timezone.now() - datetime.timedelta(hours=hours_old)
    PendingPhoto.objects.filter(pk=photo.pk).update(created_at=then)
    return photo


def test_photos_of_abandoned_forms_are_removed_with_their_files(
    hanshan, django_capture_on_commit_callbacks
):
    user = hanshan.member.user
    old, recent = pending(user, hours_old=72), pending(user, hours_old=1)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_pending_photos", stdout=out)
    assert list(PendingPhoto.objects.all()) == [recent]
    assert not old.image.storage.exists(old.image.name)
    assert recent.image.storage.exists(recent.image.name)
    assert out.getvalue().startswith("1 ")


def test_the_age_can_be_given_in_hours(hanshan):
    pending(hanshan.member.user, hours_old=5)
    call_command("purge_pending_photos", "--hours", "4", stdout=io.StringIO())
    assert not PendingPhoto.objects.exists()


def test_an_age_under_an_hour_is_refused(hanshan):
    pending(hanshan.member.user, hours_old=5)
    with pytest.raises(CommandError):
        call_command("purge_pending_photos", "--hours", "0.1", stdout=io.StringIO())
    assert PendingPhoto.objects.count() == 1


def test_opening_the_activity_form_purges_nothing(hanshan, login):
    add_workspace_personas(hanshan)
    old = pending(hanshan.member.user, hours_old=72)
    url = reverse("me:activity_new", kwargs={"workstation": hanshan.workstation.pk})
    assert login(hanshan.member.user).get(url).status_code == 200
    assert PendingPhoto.objects.filter(pk=old.pk).exists()
