"""Logging an activity on a phone in a minute (issue 11): from the desk to "submitted" in a few
taps, with two full-size camera photos shrunk in the browser before they are sent, on a good
network and on a 2 Mbit/s one; the required fields checked before anything is uploaded; and an
activity typed with no signal kept on the phone and sent, once, when the network returns."""

from __future__ import annotations

import re
import time

import pytest
from PIL import Image, ImageChops, ImageFilter

from config.me import activities as activity_views
from consultations.models import Activity, PendingPhoto
from tests.browser import PHONE
from tests.browser import shot as browser_shot

# The page of a saved activity (not the form at …/activities/new/).
SAVED = re.compile(r"/me/activities/\d+/$")
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.slow]

MAX_TAPS = 6
TWO_MBIT = 2_000_000 / 8  # bytes per second


def shot(page, name: str):
    return browser_shot(page, name, folder="workspace")


@pytest.fixture
def camera_photos(tmp_path):
    """Two photos as a phone camera takes them: 4000×3000 JPEGs of a few megabytes each."""
    paths = []
    for i in range(2):
        grey = Image.linear_gradient("L").resize((4000, 3000))
        noise = Image.effect_noise((4000, 3000), 40 + 10 * i).filter(ImageFilter.GaussianBlur(1))
        image = Image.merge("RGB", (ImageChops.add(grey, noise, scale=2), grey, noise))
        path = tmp_path / f"IMG_2025010{i}.jpg"
        image.save(path, format="JPEG", quality=95)
        paths.append(path)
    return paths


@pytest.fixture
def uploads_seen(monkeypatch):
    """The size of every photo the server receives (the live server runs in this process)."""
    seen = []
    stage = activity_views.photo_stage

    def recording(*, user, token, upload):
        seen.append(upload.size)
        return stage(user=user, token=token, upload=upload)

    monkeypatch.setattr(activity_views, "photo_stage", recording)
    return seen


class Taps:
    """The page, with every tap the member makes counted."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, selector):
        self.count += 1
        self.page.click(selector)

    def select(self, selector, **kwargs):
        self.count += 1
        self.page.select_option(selector, **kwargs)

    def type(self, selector, text):
        self.count += 1  # a tap into the field, then the keyboard
        self.page.fill(selector, text)

    def choose_files(self, selector, files):
        self.count += 1  # "Add photos" (the picker's own taps are the phone's, not ours)
        self.page.set_input_files(selector, [str(f) for f in files])


def log_an_activity(page, live_server, camera_photos) -> tuple[int, float]:
    page.goto(f"{live_server.url}/me/")
    taps = Taps(page)
    started = time.monotonic()
    taps.click("main a.button-large[href='/me/activities/new/']")
    page.wait_for_selector("form[data-enhanced]")
    taps.select("#id_type", label="微宣讲")
    taps.type("#id_description", "委员向居民宣讲医保新政策，现场解答问题。")
    taps.choose_files("#id_photos", camera_photos)
    taps.click("button[value=submit]")
    page.wait_for_url(SAVED)
    page.wait_for_selector(".messages .notice-success")
    return taps.count, time.monotonic() - started


@pytest.mark.parametrize("network", ["normal", "2 Mbit/s"])
def test_from_the_desk_to_submitted_in_a_few_taps(
    ws, live_server, new_page, make_activity, camera_photos, uploads_seen, network
):
    last = make_activity(place="城关社区议事厅")
    last.participants.set([ws.member, ws.peer])
    page = new_page(PHONE, user=ws.member.user)
    bodies = []
    page.on(
        "request",
        lambda r: bodies.append(len(r.post_data_buffer or b"")) if r.method == "POST" else None,
    )
    if network != "normal":
        page.set_default_timeout(90_000)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": 150,
                "downloadThroughput": TWO_MBIT,
                "uploadThroughput": TWO_MBIT,
            },
        )
    if network == "normal":
        page.goto(f"{live_server.url}/me/w/{ws.workstation.pk}/activities/new/")
        page.wait_for_selector("form[data-enhanced]")
        page.set_input_files("#id_photos", [str(p) for p in camera_photos])
        page.wait_for_selector(".preview li:nth-child(2) img[src]")
        shot(page, "40-quick-log-form")
        page.click(".more-fields summary")
        shot(page, "41-quick-log-form-more")

    taps, seconds = log_an_activity(page, live_server, camera_photos)
    print(f"\n[{network}] {taps} taps from the desk to 'submitted' in {seconds:.1f} s")
    assert taps <= MAX_TAPS

    activity = Activity.objects.exclude(pk=last.pk).get()
    assert activity.status == Activity.Status.SUBMITTED
    assert activity.place == "城关社区议事厅"  # from the last log, untouched
    assert set(activity.participants.all()) == {ws.member, ws.peer}
    photos = list(activity.photos.all())
    assert len(photos) == 2
    for photo in photos:
        assert max(photo.image.width, photo.image.height) <= 1600
    # What went over the network was the shrunk copies, not the camera's files.
    camera_bytes = sum(p.stat().st_size for p in camera_photos)
    print(f"[{network}] camera files {camera_bytes} bytes; received {uploads_seen}")
    assert len(uploads_seen) == 2
    assert all(size < 600_000 for size in uploads_seen)
    assert sum(uploads_seen) < camera_bytes / 5
    assert max(bodies) < 600_000
    shot(page, f"42-quick-log-submitted-{network.split()[0]}")


def test_a_missing_description_is_caught_before_any_photo_is_sent(
    ws, live_server, new_page, camera_photos, uploads_seen
):
    page = new_page(PHONE, user=ws.member.user)
    page.goto(f"{live_server.url}/me/w/{ws.workstation.pk}/activities/new/")
    page.wait_for_selector("form[data-enhanced]")
    page.set_input_files("#id_photos", [str(camera_photos[0])])
    page.wait_for_selector(".preview li:nth-child(1) img[src]")
    page.click("button[value=submit]")
    page.wait_for_selector("#id_description:invalid")
    page.wait_for_timeout(500)
    assert uploads_seen == []
    assert not PendingPhoto.objects.exists()
    assert not Activity.objects.exists()


def test_a_photo_that_did_not_go_up_is_sent_again_with_retry(
    ws, live_server, new_page, camera_photos, uploads_seen
):
    page = new_page(PHONE, user=ws.member.user)
    failures = []

    def fail_once(route):
        if failures:
            route.continue_()
        else:
            failures.append(route.request.url)
            route.fulfill(status=503, body="busy")

    page.route("**/me/photos/", fail_once)
    page.goto(f"{live_server.url}/me/w/{ws.workstation.pk}/activities/new/")
    page.wait_for_selector("form[data-enhanced]")
    page.select_option("#id_type", label="微宣讲")
    page.fill("#id_description", "信号时好时坏。")
    page.set_input_files("#id_photos", [str(camera_photos[0])])
    page.wait_for_selector(".preview li:nth-child(1) img[src]")
    page.click("button[value=submit]")
    page.locator(".photo-retry").wait_for()
    assert page.locator("#field-photos [role=alert]").is_visible()
    assert not Activity.objects.exists()
    page.click(".photo-retry")
    page.wait_for_selector(".photo-retry", state="hidden")
    page.click("button[value=submit]")
    page.wait_for_url(SAVED)
    # The saved page's own requests done before the database is emptied for the next test.
    page.wait_for_load_state("networkidle")
    assert Activity.objects.get().photos.count() == 1
    assert len(failures) == 1 and len(uploads_seen) == 1


def test_an_activity_typed_without_signal_is_sent_once_when_it_returns(
    ws, live_server, new_page, camera_photos
):
    page = new_page(PHONE, user=ws.member.user)
    page.on("console", lambda m: print("console:", m.text))
    page.on("pageerror", lambda e: print("pageerror:", e))
    page.goto(f"{live_server.url}/me/w/{ws.workstation.pk}/activities/new/")
    page.wait_for_selector("form[data-enhanced]")
    page.context.set_offline(True)
    page.select_option("#id_type", label="微宣讲")
    page.fill("#id_description", "在没有信号的村里填写。")
    page.set_input_files("#id_photos", [str(camera_photos[0])])
    page.wait_for_selector(".preview li:nth-child(1) img[src]")
    page.click("button[value=submit]")
    notice = page.locator("[data-outbox]:not([hidden])")
    notice.wait_for()
    waiting = notice.get_attribute("data-waiting")
    assert notice.inner_text() == waiting
    shot(page, "43-quick-log-waiting-for-network")
    assert not Activity.objects.exists()
    # A second tap while waiting keeps the same form, not a second one.
    page.click("button[value=submit]")

    page.context.set_offline(False)
    page.wait_for_url(SAVED)
    page.wait_for_selector(".messages .notice-success")
    activity = Activity.objects.get()
    assert activity.description == "在没有信号的村里填写。"
    assert activity.status == Activity.Status.SUBMITTED
    assert activity.photos.count() == 1
    # Back on the desk: nothing left waiting, and nothing sent again.
    page.goto(f"{live_server.url}/me/")
    page.wait_for_timeout(500)
    assert page.locator("[data-outbox]:not([hidden])").count() == 0
    assert Activity.objects.count() == 1
