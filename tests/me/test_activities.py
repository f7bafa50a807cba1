"""Logging an activity from a phone, its review by the convener, and what must hold."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from consultations.models import Activity, ActivityPhoto, ActivityReview, PendingPhoto
from consultations.services.activities import (
    activity_approve,
    activity_create,
    activity_return,
    activity_submit,
)

from .conftest import activity_post, heic_bytes, jpeg_bytes, upload

pytestmark = pytest.mark.django_db


def _new_url(ws):
    return reverse("me:activity_new", kwargs={"workstation": ws.workstation.pk})


def test_member_logs_a_draft_with_photos_and_a_media_link(
    ws, login, django_capture_on_commit_callbacks
):
    client = login(ws.member.user)
    data = activity_post(
        ws,
        **{"media-0-url": "https://mp.weixin.qq.com/s/abc", "media-0-title": "委员进社区"},
        photos=[upload("a.jpg"), upload("b.jpg", jpeg_bytes(colour=(0, 90, 200)))],
    )
    # The thumbnails are made by a task once the upload has committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_new_url(ws), data)
    activity = Activity.objects.get(author=ws.member)
    assert response.status_code == 302
    assert response["Location"] == reverse("me:activity_detail", kwargs={"pk": activity.pk})
    assert activity.status == Activity.Status.DRAFT
    assert activity.title == "微宣讲 · 社区议事厅"  # made from the type and the place
    assert set(activity.participants.all()) == {ws.member, ws.convener}
    assert activity.residents_served == 35
    assert activity.photos.count() == 2
    assert all(p.thumbnail for p in activity.photos.all())
    assert activity.media_reports.get().url == "https://mp.weixin.qq.com/s/abc"
    assert not PendingPhoto.objects.exists()


def test_a_date_in_the_future_is_refused_with_a_message(ws, login):
    client = login(ws.member.user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(_new_url(ws), activity_post(ws, date=tomorrow.isoformat()))
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert not Activity.objects.exists()
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert f'max="{timezone.localdate().isoformat()}"' in html


def test_the_member_picker_lists_only_that_workstations_members(ws, login):
    client = login(ws.member.user)
    response = client.get(_new_url(ws))
    choices = set(response.context["form"].fields["participants"].queryset)
    assert choices == {ws.member, ws.convener, ws.peer}
    response = client.post(_new_url(ws), activity_post(ws, participants=[ws.far.pk]))
    assert "participants" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_the_form_asks_for_photos_from_camera_or_gallery_and_a_native_date(ws, login):
    html = login(ws.member.user).get(_new_url(ws)).content.decode()
    # The extensions as well as image/*: some pickers know no image type for an iPhone's .heic.
    assert 'type="file"' in html and 'accept="image/*,.heic,.heif"' in html and "multiple" in html
    assert 'type="date"' in html
    assert 'enctype="multipart/form-data"' in html


def test_an_iphone_heic_is_kept_as_an_upright_jpeg_without_its_location(ws, login):
    client = login(ws.member.user)
    heic = upload("IMG_0001.HEIC", heic_bytes(gps=True, orientation=6), "image/heic")

    response = client.post(_new_url(ws), activity_post(ws, photos=[heic]))

    assert response.status_code == 302
    photo = Activity.objects.get(author=ws.member).photos.get()
    assert photo.image.name.endswith(".jpg") and "IMG_0001" not in photo.image.name
    with photo.image.open("rb") as stored:
        raw = stored.read()
        stored.seek(0)
        with Image.open(stored) as kept:
            assert kept.format == "JPEG"
            assert kept.size == (48, 64)  # turned the way the phone was held
            assert len(kept.getexif()) == 0
    assert b"GPS" not in raw and b"PhoneMaker" not in raw


def test_a_file_named_heic_that_is_not_a_photo_is_refused_with_a_message(ws, login):
    client = login(ws.member.user)
    data = activity_post(ws, photos=[upload("IMG_0002.HEIC", b"not an image at all", "image/heic")])

    response = client.post(_new_url(ws), data)

    assert response.status_code == 200
    assert "“IMG_0002.HEIC”不是可识别的照片" in response.content.decode()
    assert not PendingPhoto.objects.exists()
    assert not Activity.objects.exists()


def test_a_failed_form_keeps_everything_typed_and_every_photo(ws, login):
    client = login(ws.member.user)
    data = activity_post(
        ws,
        date=(timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        description="这段文字不能丢。",
        place="文昌社区",
        photos=[upload("a.jpg"), upload("notes.jpg", b"not an image at all")],
    )
    response = client.post(_new_url(ws), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "这段文字不能丢。" in html and "文昌社区" in html
    # The good photo waits on the server; the bad one is named in the error.
    pending = list(PendingPhoto.objects.all())
    assert len(pending) == 1
    # Its thumbnail is made by a task after the commit; until then the form shows the photo.
    assert pending[0].image.url in html
    assert "notes.jpg" in html
    # Fixing the date and sending the form again keeps the waiting photo.
    data = activity_post(
        ws,
        form_token=data["form_token"],
        keep_photo=[pending[0].pk],
        description="这段文字不能丢。",
    )
    response = client.post(_new_url(ws), data)
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.photos.get().image.name == pending[0].image.name
    assert not PendingPhoto.objects.exists()


def test_double_tap_on_submit_creates_one_activity(ws, login):
    client = login(ws.member.user)
    data = activity_post(ws, action="submit")
    first = client.post(_new_url(ws), data)
    second = client.post(_new_url(ws), data)
    assert Activity.objects.count() == 1
    activity = Activity.objects.get()
    assert activity.status == Activity.Status.SUBMITTED
    assert activity.reviews.count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("me:activity_detail", kwargs={"pk": activity.pk})


def test_the_service_returns_the_same_activity_for_the_same_token(ws):
    token = uuid.uuid4()
    kwargs = dict(
        author=ws.member,
        workstation=ws.workstation,
        token=token,
        type=ws.activity_type,
        date=timezone.localdate(),
        description="x",
    )
    first, created = activity_create(**kwargs)
    again, created_again = activity_create(**kwargs)
    assert created and not created_again and first == again


def test_double_tap_on_the_edit_form_attaches_its_photos_once(ws, login, make_activity):
    activity = make_activity()
    client = login(ws.member.user)
    url = reverse("me:activity_edit", kwargs={"pk": activity.pk})
    token = str(uuid.uuid4())
    for _ in range(2):
        client.post(url, activity_post(ws, form_token=token, photos=[upload("a.jpg")]))
    assert activity.photos.count() == 1
    assert not PendingPhoto.objects.exists()


def test_a_member_can_only_log_at_a_workstation_they_sit_in(ws, login):
    url = reverse("me:activity_new", kwargs={"workstation": ws.other_workstation.pk})
    assert login(ws.member.user).post(url, activity_post(ws)).status_code == 404
    assert not Activity.objects.exists()


def test_return_with_comment_then_the_member_fixes_and_resubmits(ws, login, make_activity):
    activity = make_activity(description="初稿")
    member, convener = login(ws.member.user), login(ws.convener.user)
    member.post(reverse("me:activity_submit", kwargs={"pk": activity.pk}))

    response = convener.post(
        reverse("me:return", kwargs={"pk": activity.pk}), {"comment": "请补充服务人数。"}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == Activity.Status.RETURNED

    page = member.get(reverse("me:activity_detail", kwargs={"pk": activity.pk}))
    assert "请补充服务人数。" in page.content.decode()
    page = member.get(reverse("me:activity_edit", kwargs={"pk": activity.pk}))
    assert "请补充服务人数。" in page.content.decode()

    member.post(
        reverse("me:activity_edit", kwargs={"pk": activity.pk}),
        activity_post(ws, residents_served="60", action="submit"),
    )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.SUBMITTED
    assert activity.residents_served == 60

    convener.post(reverse("me:approve", kwargs={"pk": activity.pk}))
    activity.refresh_from_db()
    assert activity.status == Activity.Status.APPROVED
    assert activity.approved_by == ws.convener.user
    assert list(activity.reviews.values_list("action", "by__username", "comment")) == [
        ("submitted", "hanshan_member", ""),
        ("returned", "hanshan_convener", "请补充服务人数。"),
        ("submitted", "hanshan_member", ""),
        ("approved", "hanshan_convener", ""),
    ]
    assert all(r.at for r in ActivityReview.objects.all())
    assert Activity.objects.published().filter(pk=activity.pk).exists()


def test_returning_needs_a_comment(ws, login, make_activity):
    activity = make_activity(status=Activity.Status.SUBMITTED)
    response = login(ws.convener.user).post(
        reverse("me:return", kwargs={"pk": activity.pk}), {"comment": "  "}
    )
    assert response.status_code == 200
    assert "comment" in response.context["form"].errors
    activity.refresh_from_db()
    assert activity.status == Activity.Status.SUBMITTED


def test_an_approved_activity_cannot_be_edited_by_its_member(ws, login, make_activity):
    activity = make_activity(status=Activity.Status.APPROVED, title="原标题")
    client = login(ws.member.user)
    url = reverse("me:activity_edit", kwargs={"pk": activity.pk})
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "me:activity_detail", kwargs={"pk": activity.pk}
    )
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
    client.post(url, activity_post(ws, title="改过的标题"))
    activity.refresh_from_db()
    assert activity.title == "原标题"


def test_a_submitted_activity_cannot_be_edited_either(ws, login, make_activity):
    activity = make_activity(status=Activity.Status.SUBMITTED, title="原标题")
    login(ws.member.user).post(
        reverse("me:activity_edit", kwargs={"pk": activity.pk}), activity_post(ws, title="改")
    )
    activity.refresh_from_db()
    assert activity.title == "原标题"


def test_submitting_needs_what_was_done(ws, login):
    response = login(ws.member.user).post(
        _new_url(ws), activity_post(ws, description="", action="submit")
    )
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_edit_removes_a_photo_and_adds_another(ws, login, make_activity):
    activity = make_activity()
    client = login(ws.member.user)
    url = reverse("me:activity_edit", kwargs={"pk": activity.pk})
    client.post(url, activity_post(ws, photos=[upload("a.jpg"), upload("b.jpg")]))
    first, second = activity.photos.all()
    client.post(url, activity_post(ws, remove_photo=[first.pk], photos=[upload("c.jpg")]))
    kept = list(activity.photos.all())
    assert len(kept) == 2 and second in kept and first not in kept
    assert not ActivityPhoto.objects.filter(pk=first.pk).exists()


def test_at_most_nine_photos(ws, login):
    response = login(ws.member.user).post(
        _new_url(ws), activity_post(ws, photos=[upload(f"{i}.jpg") for i in range(10)])
    )
    assert response.status_code == 200
    assert response.context["photo_errors"]
    assert PendingPhoto.objects.count() == 9  # kept for the next try, nothing lost


def test_services_refuse_state_jumps(ws, make_activity):
    from django.core.exceptions import ValidationError

    draft = make_activity()
    with pytest.raises(ValidationError):
        activity_approve(activity=draft, by=ws.convener.user)
    with pytest.raises(ValidationError):
        activity_return(activity=draft, by=ws.convener.user, comment="x")
    assert activity_submit(activity=draft, by=ws.member.user) is True
    assert activity_submit(activity=draft, by=ws.member.user) is False  # a double tap
    assert activity_approve(activity=draft, by=ws.convener.user) is True
    assert activity_approve(activity=draft, by=ws.convener.user) is False
    assert draft.reviews.count() == 2
