"""``manage.py place_files``: a site upgraded from the time every upload lay in the public
storage gets each file moved to where the rules put it now, and a second run moves nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import translation

from consultations.models import Activity, ActivityPhoto, ConsultationStep, PendingPhoto
from tests.factories import (
    ActivityFactory,
    ConsultationFactory,
    StandardCheckFactory,
)
from workstations.files import IMPORT_FOLDER, PRIVATE_PREFIX

pytestmark = pytest.mark.django_db


def place_files(capture) -> str:
    """Run the command in English; the old copies go once each row's change commits."""
    out = io.StringIO()
    with translation.override("en"), capture(execute=True):
        call_command("place_files", stdout=out)
    return out.getvalue()


def test_files_of_existing_records_are_moved_to_where_they_belong_once(
    files, ws, django_capture_on_commit_callbacks
):
    public, private = files.public, files.private
    draft = ActivityFactory(
        workstation=ws.workstation,
        type=ws.activity_type,
        author=ws.member,
        status=Activity.Status.DRAFT,
        approved_at=None,
    )
    approved = ActivityFactory(workstation=ws.workstation, type=ws.activity_type)
    # Before: every upload public (a draft's photo and thumbnail, a photo waiting for its form,
    # an attachment, evidence, an import sheet); and an approved one's photo left private.
    draft_photo = ActivityPhoto.objects.create(
        activity=draft,
        image=public.save("activities/2024/05/draft.jpg", ContentFile(b"draft")),
        thumbnail=public.save("activities/2024/05/thumbs/draft.jpg", ContentFile(b"d-thumb")),
    )
    shown = ActivityPhoto.objects.create(
        activity=approved,
        image=PRIVATE_PREFIX + private.save("activities/2024/05/shown.jpg", ContentFile(b"ok")),
    )
    lost = ActivityPhoto.objects.create(activity=draft, image="activities/2024/05/lost.jpg")
    waiting = PendingPhoto.objects.create(
        token="6f1e8a3c-0000-4000-8000-000000000001",
        uploaded_by=ws.member.user,
        image=public.save("activities/2024/05/waiting.jpg", ContentFile(b"w")),
        thumbnail=public.save("activities/2024/05/thumbs/waiting.jpg", ContentFile(b"wt")),
    )
    step = ConsultationStep.objects.create(
        consultation=ConsultationFactory(workstation=ws.workstation),
        step=2,
        date=draft.date,
        summary="走访",
        attachment=public.save("consultations/2024/minutes.pdf", ContentFile(b"%PDF")),
    )
    check = StandardCheckFactory(
        workstation=ws.workstation,
        evidence=public.save("standards/2024/sign.jpg", ContentFile(b"sign")),
    )
    sheet = public.save(f"{IMPORT_FOLDER}/0123abcd", ContentFile(b"id_number\n"))

    out = place_files(django_capture_on_commit_callbacks)

    assert "Activity photos: 1 moved to public storage, 2 to private storage, 1 missing." in out
    assert "Photos waiting for their form: 0 moved to public storage, 2 to private" in out
    assert "Consultation attachments: 0 moved to public storage, 1 to private" in out
    assert "Standards evidence photos: 0 moved to public storage, 1 to private" in out
    assert "Pending import sheets: 0 moved to public storage, 1 to private" in out
    assert "8 files moved in all, 1 missing." in out
    for row, field in (
        (draft_photo, "image"),
        (draft_photo, "thumbnail"),
        (waiting, "image"),
        (waiting, "thumbnail"),
        (step, "attachment"),
        (check, "evidence"),
    ):
        row.refresh_from_db()
        name = getattr(row, field).name
        assert name.startswith(PRIVATE_PREFIX), (row, field, name)
        assert private.exists(name.removeprefix(PRIVATE_PREFIX))
        assert not public.exists(name.removeprefix(PRIVATE_PREFIX))
    shown.refresh_from_db()
    assert shown.image.name == "activities/2024/05/shown.jpg"
    assert files.anonymous_get(shown.image.name) == (200, b"ok")
    assert not private.exists("activities/2024/05/shown.jpg")
    assert private.exists(sheet) and not public.exists(sheet)
    lost.refresh_from_db()
    assert lost.image.name == "activities/2024/05/lost.jpg"  # left as it was

    again = place_files(django_capture_on_commit_callbacks)
    assert "0 files moved in all, 1 missing." in again
