"""The activity form as the phone sends it (member.js): photos one by one before the form, the
form kept without signal and sent later as JSON, the defaults from the last log; and the
workspace as an installable app (manifest, service worker)."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from consultations.models import Activity, PendingPhoto

from .conftest import activity_post, jpeg_bytes, upload

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def _new_url(ws):
    return reverse("me:activity_new", kwargs={"workstation": ws.workstation.pk})


def test_a_photo_sent_on_its_own_waits_for_the_form_and_is_attached(ws, login):
    client = login(ws.member.user)
    data = activity_post(ws)
    response = client.post(
        reverse("me:activity_photo_upload"),
        {"form_token": data["form_token"], "photo": upload(data=jpeg_bytes((2000, 1500)))},
    )
    assert response.status_code == 200
    pending = PendingPhoto.objects.get(pk=response.json()["id"])
    assert max(pending.image.width, pending.image.height) <= 1600

    response = client.post(_new_url(ws), {**data, "keep_photo": [pending.pk]})
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert activity.photos.count() == 1
    assert not PendingPhoto.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_with_the_reason(ws, login):
    client = login(ws.member.user)
    response = client.post(
        reverse("me:activity_photo_upload"),
        {"form_token": str(uuid.uuid4()), "photo": upload("notes.jpg", b"not a photo")},
    )
    assert response.status_code == 400
    assert "notes.jpg" in response.json()["error"]
    assert not PendingPhoto.objects.exists()


def test_no_more_photos_than_an_activity_may_have_wait_for_one_form(ws, login, monkeypatch):
    monkeypatch.setattr("config.me.activities.MAX_PHOTOS", 1)
    client = login(ws.member.user)
    token = str(uuid.uuid4())
    url = reverse("me:activity_photo_upload")
    assert client.post(url, {"form_token": token, "photo": upload()}).status_code == 200
    response = client.post(url, {"form_token": token, "photo": upload()})
    assert response.status_code == 400
    assert PendingPhoto.objects.count() == 1


def test_an_upload_without_a_token_is_refused(ws, login):
    client = login(ws.member.user)
    response = client.post(reverse("me:activity_photo_upload"), {"photo": upload()})
    assert response.status_code == 400


def test_a_form_kept_without_signal_is_applied_once_however_often_it_is_sent(ws, login):
    client = login(ws.member.user)
    data = activity_post(ws, action="submit", photos=[upload()])
    first = client.post(_new_url(ws), data, **JSON)
    activity = Activity.objects.get()
    location = reverse("me:activity_detail", args=[activity.pk])
    assert first.json() == {"location": location, "outcome": "saved"}
    assert activity.status == Activity.Status.SUBMITTED
    data["photos"] = [upload()]
    again = client.post(_new_url(ws), data, **JSON)
    assert again.json() == {"location": location, "outcome": "replay"}
    assert Activity.objects.count() == 1
    assert activity.photos.count() == 1
    assert not PendingPhoto.objects.exists()


def test_a_kept_form_that_does_not_validate_says_so(ws, login):
    client = login(ws.member.user)
    response = client.post(_new_url(ws), activity_post(ws, date="2099-01-01"), **JSON)
    assert response.status_code == 422
    assert response.json() == {"outcome": "refused"}
    assert not Activity.objects.exists()


def test_a_kept_form_saved_but_not_ready_to_submit_says_it_is_a_draft(ws, login, monkeypatch):
    from django.core.exceptions import ValidationError

    from config.me import activities

    def not_ready(**kwargs):
        raise ValidationError("尚不能报送。")

    monkeypatch.setattr(activities, "activity_submit", not_ready)
    client = login(ws.member.user)
    response = client.post(_new_url(ws), activity_post(ws, action="submit"), **JSON)
    activity = Activity.objects.get()
    assert activity.status == Activity.Status.DRAFT
    assert response.json() == {
        "location": reverse("me:activity_edit", args=[activity.pk]),
        "outcome": "draft",
    }


def test_every_workspace_page_names_its_account_for_the_phone_s_own_copies(ws, login):
    client = login(ws.member.user)
    page = client.get(reverse("me:desk")).content.decode()
    assert f'data-user="{ws.member.user.pk}"' in page


def test_a_new_form_takes_the_place_and_people_of_my_last_log_there(ws, login, make_activity):
    older = make_activity(place="老地方")
    older.participants.set([ws.member])
    last = make_activity(place="城关社区议事厅")
    last.participants.set([ws.member, ws.peer])
    client = login(ws.member.user)
    form = client.get(_new_url(ws)).context["form"]
    assert form.initial["place"] == "城关社区议事厅"
    assert set(form.initial["participants"]) == {ws.member.pk, ws.peer.pk}


def test_a_first_log_starts_with_only_me_taking_part(ws, login):
    client = login(ws.member.user)
    response = client.get(_new_url(ws))
    assert response.context["form"].initial["participants"] == [ws.member.pk]
    assert not response.context["from_last_log"]


def test_the_manifest_installs_the_workspace(client):
    response = client.get(reverse("me:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    # 商量·委员工作台 once the translation is in locale/
    with translation.override("zh-hans"):
        assert manifest["name"] == translation.gettext("Shangliang · Member workspace")
    assert manifest["start_url"] == "/me/"
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


def test_the_service_worker_is_served_for_the_workspace(client):
    response = client.get(reverse("me:service_worker"))
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/me/"
    assert b"/static/js/member.js" in response.content


def test_the_workspace_pages_link_the_manifest(ws, login):
    client = login(ws.member.user)
    assert reverse("me:manifest").encode() in client.get(reverse("me:desk")).content
