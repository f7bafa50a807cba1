"""Which files are public and which private, on local folders and on a real S3-compatible
server alike: where a photo lands, who gets it through the private-file view, and how it moves
when its activity is approved or sent back."""

from __future__ import annotations

import time
import uuid

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from import_export.tmp_storages import MediaStorage

from config.files import private_url
from consultations.models import Activity, ActivityPhoto, PendingPhoto
from consultations.services import activities as activity_services
from consultations.services.consultations import consultation_record_step
from consultations.services.photos import photo_stage, photos_place
from tests.factories import PASSWORD, ActivityFactory, ConsultationFactory
from tests.me.conftest import activity_post, jpeg_bytes, upload
from workstations import files as routing

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def inner(name: str) -> str:
    """A routed name's name in the private storage."""
    assert routing.is_private(name), name
    return name[len(routing.PRIVATE_PREFIX) :]


def draft_with_photo(ws) -> tuple[Activity, ActivityPhoto, bytes]:
    """The member logs a draft with a photo through the workspace's form."""
    client = login(ws.member.user)
    data = activity_post(ws, photos=[upload("IMG_1.jpg", jpeg_bytes((320, 240)))])
    response = client.post(
        reverse("me:activity_new", kwargs={"workstation": ws.workstation.pk}), data
    )
    assert response.status_code == 302
    activity = Activity.objects.get(author=ws.member)
    photo = activity.photos.get()
    with photo.image.open("rb") as stored:
        return activity, photo, stored.read()


def test_a_draft_photo_is_private_and_reached_only_by_those_with_the_right(files, ws, huimin):
    activity, photo, data = draft_with_photo(ws)
    name = inner(photo.image.name)
    assert files.private_has(name)
    assert not files.public_has(name)
    assert files.anonymous_get(name)[0] in (403, 404)  # no public address has it
    url = private_url(name)
    assert photo.image.url == url
    page = login(ws.member.user).get(reverse("me:activity_detail", kwargs={"pk": activity.pk}))
    assert url in page.content.decode()

    for nobody in (Client(), login(huimin.staff), login(ws.far.user), login(ws.peer.user)):
        assert nobody.get(url).status_code == 404
    for allowed in (ws.member.user, ws.staff):
        client = login(allowed)
        response = client.get(url)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert files.follow(client, response) == (200, data)


def test_the_local_signed_address_streams_the_file_uncached_and_goes_stale(local_files, ws):
    _activity, photo, data = draft_with_photo(ws)
    client = login(ws.member.user)
    assert local_files.follow(client, client.get(photo.image.url)) == (200, data)
    streamed = local_files.last_signed
    assert "no-store" in streamed["Cache-Control"]
    assert streamed["Content-Type"] == "image/jpeg"

    # Signed two minutes ago: stale. Forged: never ours. Both answer as a missing file.
    class TwoMinutesAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 120)

    stale = TwoMinutesAgo(salt="config.files").sign_object(inner(photo.image.name))
    value, stamp, signature = stale.rsplit(":", 2)
    assert client.get(reverse("private_file_signed", kwargs={"token": stale})).status_code == 404
    forged = f"{value}:{stamp}:{'x' * len(signature)}"
    assert client.get(reverse("private_file_signed", kwargs={"token": forged})).status_code == 404
    # The private folder lies outside the public one: no media address reaches the file.
    assert not local_files.private_root.resolve().is_relative_to(local_files.media_root.resolve())
    assert not (local_files.media_root / inner(photo.image.name)).exists()


def test_approval_moves_the_photos_to_public_storage(files, ws, django_capture_on_commit_callbacks):
    activity, photo, data = draft_with_photo(ws)
    private_name = inner(photo.image.name)
    activity_services.activity_submit(activity=activity, by=ws.member.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert activity_services.activity_approve(activity=activity, by=ws.convener.user)
    photo.refresh_from_db()
    assert not routing.is_private(photo.image.name)
    assert photo.image.name == private_name  # the same name, in the other storage
    assert files.anonymous_get(photo.image.name) == (200, data)
    assert not files.private_has(private_name)
    page = Client().get(activity.get_absolute_url())
    assert photo.image.url in page.content.decode()
    assert photo.image.url == files.public.url(photo.image.name)


def test_a_return_moves_photos_kept_public_back_to_private_storage(
    files, ws, django_capture_on_commit_callbacks
):
    """As on a site upgraded from the time every upload was public: the photos of a log
    waiting for review sit in the public storage, and sending it back takes them out."""
    activity = ActivityFactory(
        workstation=ws.workstation,
        type=ws.activity_type,
        author=ws.member,
        status=Activity.Status.SUBMITTED,
        approved_at=None,
    )
    name = files.public.save("activities/2025/01/legacy.jpg", ContentFile(b"old photo"))
    ActivityPhoto.objects.create(activity=activity, image=name)
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.activity_return(activity=activity, by=ws.convener.user, comment="补充")
    photo = activity.photos.get()
    assert photo.image.name == routing.PRIVATE_PREFIX + name
    assert files.private_has(name)
    assert not files.public_has(name)
    assert files.anonymous_get(name)[0] in (403, 404)


def test_a_copy_that_fails_leaves_the_activity_unapproved_and_its_photo_private(
    files, ws, monkeypatch, django_capture_on_commit_callbacks
):
    activity, photo, data = draft_with_photo(ws)
    activity_services.activity_submit(activity=activity, by=ws.member.user)
    original_save = routing.routed_storage.save

    def broken(name, content, max_length=None):
        if not routing.is_private(name):
            raise OSError("the bucket went away")
        return original_save(name, content, max_length)

    monkeypatch.setattr(routing.routed_storage, "save", broken)
    with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):
        activity_services.activity_approve(activity=activity, by=ws.convener.user)
    activity.refresh_from_db()
    photo.refresh_from_db()
    assert activity.status == Activity.Status.SUBMITTED
    assert routing.is_private(photo.image.name)
    assert files.private_has(inner(photo.image.name))
    assert not files.public_has(inner(photo.image.name))


def test_a_thumbnail_made_later_lands_beside_its_photo(files, ws):
    activity, photo, _data = draft_with_photo(ws)
    photo.thumbnail.save("later.jpg", ContentFile(b"thumb"), save=False)
    assert photo.thumbnail.name.startswith(photo.image.name.rsplit("/", 1)[0] + "/thumbs/")
    assert files.private_has(inner(photo.thumbnail.name))
    approved = ActivityFactory(workstation=ws.workstation, type=ws.activity_type)
    public = ActivityPhoto(activity=approved)
    public.image.save("shown.jpg", ContentFile(b"photo"), save=False)
    public.thumbnail.save("shown.jpg", ContentFile(b"thumb"), save=False)
    assert not routing.is_private(public.thumbnail.name)
    assert files.public_has(public.thumbnail.name)
    assert public.thumbnail.name.startswith(public.image.name.rsplit("/", 1)[0] + "/thumbs/")


def test_a_photo_waiting_for_its_form_is_private_and_only_its_uploaders(files, ws):
    pending = photo_stage(user=ws.member.user, token=uuid.uuid4(), upload=upload())
    assert isinstance(pending, PendingPhoto)
    name = inner(pending.image.name)
    assert files.private_has(name) and not files.public_has(name)
    url = private_url(name)
    assert login(ws.peer.user).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    client = login(ws.member.user)
    status, body = files.follow(client, client.get(url))
    assert status == 200 and body[:2] == b"\xff\xd8"


def test_a_consultation_attachment_is_private_to_the_office_and_the_workstation(files, ws):
    consultation = ConsultationFactory(workstation=ws.workstation, is_published=True)
    step = consultation_record_step(
        consultation=consultation,
        step=2,
        date=consultation.opened_on,
        summary="走访",
        attachment=ContentFile(b"%PDF-1.4 minutes", name="纪要.pdf"),
    )
    name = inner(step.attachment.name)
    assert files.private_has(name) and not files.public_has(name)
    url = step.attachment.url
    assert url == private_url(name)
    assert login(ws.far.user).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    for allowed in (ws.peer.user, ws.staff):
        client = login(allowed)
        assert files.follow(client, client.get(url)) == (200, b"%PDF-1.4 minutes")


def test_a_pending_import_sheet_lands_in_private_storage(files):
    sheet = MediaStorage()
    sheet.save(b"name,id_number\n\xe5\xbc\xa0,340522199001011234\n")
    path = sheet.get_full_path()
    assert files.private_has(path)
    assert not files.public_has(path)
    assert files.anonymous_get(path)[0] in (403, 404)
    assert sheet.read().startswith(b"name,id_number")
    # Not even a superuser fetches it through the private-file view: the server alone reads it.
    if files.kind == "s3":
        listed = files.client.list_objects_v2(Bucket=files.private_bucket)["Contents"]
        assert path in {o["Key"] for o in listed}
    sheet.remove()


def test_the_private_bucket_refuses_anonymous_reads(s3_files):
    name = s3_files.private.save("exports/ledger.xlsx", ContentFile(b"PK ledger"))
    plain = f"{s3_files.endpoint}/{s3_files.private_bucket}/{name}"
    assert s3_files.anonymous_get(name)[0] in (403, 404)
    from tests.storage.conftest import fetch

    assert fetch(plain)[0] == 403
    assert fetch(s3_files.private.url(name)) == (200, b"PK ledger")  # presigned


def test_one_bucket_with_a_private_prefix_keeps_private_files_unreadable(moto_s3, ws):
    from django.test import override_settings

    from tests.storage.conftest import ONE_BUCKET, built_storages, fetch

    env = {**moto_s3.env, "S3_BUCKET": ONE_BUCKET, "S3_PRIVATE_BUCKET": ""}
    with override_settings(STORAGES=built_storages(env)):
        _activity, photo, data = draft_with_photo(ws)
        key = photo.image.name  # private/activities/…: the prefix is the folder in the bucket
        assert fetch(f"{moto_s3.endpoint}/{ONE_BUCKET}/{key}")[0] == 403
        client = login(ws.member.user)
        response = client.get(photo.image.url)
        assert response.status_code == 302
        assert fetch(response["Location"]) == (200, data)
        placed = photos_place(photos=[photo])
        assert placed.in_place == 1  # a draft's photo stays where it is
        approved = ActivityFactory(workstation=ws.workstation, type=ws.activity_type)
        shown = ActivityPhoto(activity=approved)
        shown.image.save("shown.jpg", ContentFile(b"shown"), save=False)
        assert fetch(shown.image.url) == (200, b"shown")
