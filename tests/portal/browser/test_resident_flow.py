"""A resident on a phone: brand page → a workstation → a message → its code → tracking → rating.

Selectors go by element, name and id rather than by text, so the tests hold in every language.
Screenshots of every page, at 390×844 and 1280×800, go to test-artifacts/screens/.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from consultations.models import ActivityPhoto, PublicMessage
from tests.browser import DESKTOP, PHONE, shot
from workstations.models import WorkstationPhoto

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def jpeg(colour: tuple[int, int, int], size=(960, 640)) -> ContentFile:
    """A photo-like picture: a sky, a building and a door, in the given colour."""
    image = Image.new("RGB", size, (214, 228, 240))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, int(h * 0.7), w, h], fill=(180, 170, 150))
    draw.rectangle([int(w * 0.2), int(h * 0.25), int(w * 0.8), int(h * 0.75)], fill=colour)
    draw.rectangle([int(w * 0.45), int(h * 0.5), int(w * 0.55), int(h * 0.75)], fill=(60, 40, 30))
    for i in range(4):
        x = int(w * (0.25 + i * 0.13))
        draw.rectangle([x, int(h * 0.32), x + int(w * 0.07), int(h * 0.44)], fill=(240, 240, 220))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def photos(portal) -> None:
    """Photos for the workstation, its members and its activity, and a slogan for the brand."""
    county = portal.county
    county.slogan = "有事好商量，众人的事情由众人商量"
    county.intro = (
        "含山县政协以“含您协商”为品牌，在全县建成委员工作室和协商议事室，让委员走进群众。"
    )
    county.address = "含山县环峰镇政务中心"
    county.phone = "0555-1234567"
    county.save()
    ws = portal.workstation
    ws.opening_hours = "工作日 8:30–17:30"
    ws.phone = "0555-7654321"
    ws.save()
    WorkstationPhoto.objects.create(workstation=ws, image=jpeg((183, 28, 28)), caption="工作室外景")
    WorkstationPhoto.objects.create(workstation=ws, image=jpeg((30, 90, 150)), caption="议事厅")
    for member, colour in [(portal.member, (120, 90, 70)), (portal.hanshan.convener, (90, 70, 60))]:
        member.photo = jpeg(colour, size=(300, 300))
        member.save()
    ActivityPhoto.objects.create(
        activity=portal.activity, image=jpeg((200, 120, 40)), caption="宣讲现场"
    )


def test_a_resident_finds_a_workstation_leaves_a_message_tracks_and_rates_it(
    live_server, new_page, portal
):
    photos(portal)
    page = new_page(PHONE)
    base = live_server.url

    # The brand page, on a phone.
    page.goto(f"{base}/{portal.county.slug}/")
    assert page.locator("h1").inner_text() == "含您协商"
    assert page.locator("#figure-recognition").inner_text().startswith("—")
    shot(page, "flow-1-brand")

    # Find the workstation with the filter: its town, then open it.
    page.select_option("select[name=town]", str(portal.workstation.area_id))
    page.locator("form.filter button[type=submit]").click()
    page.wait_for_url(re.compile(r"/workstations/\?"))
    shot(page, "flow-2-list")
    page.locator(f"a[href='{portal.workstation.get_absolute_url()}']").first.click()
    page.wait_for_url(f"**{portal.workstation.get_absolute_url()}")
    assert page.locator("h1").inner_text() == portal.workstation.name
    shot(page, "flow-3-workstation")

    # Leave a message; answer the question.
    page.locator("a.button-large").first.click()
    page.wait_for_url("**/message/")
    page.select_option("select[name=category]", PublicMessage.Category.ENVIRONMENT)
    page.fill("textarea[name=text]", "小区垃圾站夏天气味很大，希望增加清运次数。")
    page.fill("input[name=name]", "陈女士")
    page.fill("input[name=mobile]", "13855556666")
    page.check("input[name=reply_may_be_published]")
    # First a wrong answer: the form says so, asks a new question and keeps what was written.
    page.fill("input[name=answer]", "0")
    with page.expect_navigation():
        page.locator("form.message-form button[type=submit]").click()
    assert page.locator(".error-summary").is_visible()
    assert page.locator("textarea[name=text]").input_value().startswith("小区垃圾站")
    shot(page, "flow-4-form-error")
    a, b = map(int, re.findall(r"\d+", page.locator("label[for=id_answer]").inner_text()))
    page.fill("input[name=answer]", str(a + b))
    page.locator("form.message-form button[type=submit]").click()
    page.wait_for_url("**/message/sent/**")

    code = page.locator("#tracking-code").inner_text().strip()
    message = PublicMessage.objects.get(tracking_code=code)
    assert message.mobile == "13855556666" and message.status == PublicMessage.Status.NEW
    assert "13855556666" not in page.content()
    shot(page, "flow-5-sent")

    # Track it by code, typed in by hand.
    page.goto(f"{base}/track/")
    page.fill("input[name=code]", code.lower())
    page.locator("form.track-form button[type=submit]").click()
    page.wait_for_url("**/track/?code=*")
    assert page.locator("#message-status").inner_text() == message.get_status_display()
    assert page.locator("form.rating-form").count() == 0
    shot(page, "flow-6-track")

    # Staff answer and close it.
    PublicMessage.objects.filter(pk=message.pk).update(
        status=PublicMessage.Status.CLOSED,
        reply="已协调环卫所每天清运两次，并对垃圾站消毒。",
        replied_at=timezone.now(),
        closed_at=timezone.now(),
    )
    page.reload()
    assert "已协调环卫所" in page.locator(".reply").inner_text()
    shot(page, "flow-7-closed")
    page.locator("form.rating-form input[name=rating][value='5']").check()
    page.locator("form.rating-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".notice-success").count() >= 1
    assert page.locator("form.rating-form").count() == 0
    message.refresh_from_db()
    assert message.rating == 5
    shot(page, "flow-8-rated")

    # The brand page's public recognition rate reflects it.
    page.goto(f"{base}/{portal.county.slug}/")
    assert page.locator("#figure-recognition").inner_text().startswith("100")


def test_every_page_on_a_phone_and_a_desktop(live_server, new_page, portal):
    photos(portal)
    c, ws = portal.county.slug, portal.workstation.slug
    PublicMessage.objects.filter(pk=portal.answered.pk).update(status=PublicMessage.Status.CLOSED)
    pages = {
        "home": "/",
        "brand": f"/{c}/",
        "city": f"/{portal.county.parent.slug}/",
        "workstations": f"/{c}/workstations/",
        "workstation": f"/{c}/workstations/{ws}/",
        "message-form": f"/{c}/workstations/{ws}/message/",
        "poster": f"/{c}/workstations/{ws}/poster/",
        "activities": f"/{c}/activities/",
        "activity": portal.activity.get_absolute_url(),
        "consultation": portal.consultation.get_absolute_url(),
        "outcomes": f"/{c}/outcomes/",
        "outcome": portal.outcome.get_absolute_url(),
        "member": portal.member.get_absolute_url(),
        "member-card": f"/{c}/members/{portal.member.pk}/card/",
        "search": f"/{c}/search/?q=委员",
        "track": f"/track/?code={portal.answered.tracking_code}",
    }
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport)
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            # Nothing is wider than the window: no sideways scrolling on a phone.
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {viewport}"
            shot(page, name)


def test_the_keyboard_reaches_the_skip_link_first_and_focus_is_visible(
    live_server, new_page, portal
):
    page = new_page(DESKTOP)
    page.goto(f"{live_server.url}/{portal.county.slug}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_the_poster_prints_on_one_a4_page(live_server, new_page, portal):
    photos(portal)
    page = new_page(DESKTOP)
    page.goto(f"{live_server.url}{portal.workstation.get_absolute_url()}poster/")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
    shot(page, "poster-print")
