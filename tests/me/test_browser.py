"""The whole loop in headless Chromium on a phone-sized window: a member logs an activity with
two photos, the convener returns it with a comment, the member fixes it and submits it again,
the convener approves it, and it appears on the workstation's public page."""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, reverse
from PIL import Image

from consultations.models import Activity
from tests.browser import DESKTOP, PHONE
from tests.browser import shot as browser_shot
from tests.factories import PASSWORD, ConsultationFactory, OutcomeFactory


def shot(page, name: str):
    return browser_shot(page, name, folder="workspace")


# The page of a saved activity (not the form at …/activities/new/).
SAVED = re.compile(r"/me/activities/\d+/$")
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def photos(tmp_path):
    paths = []
    for i, colour in enumerate([(200, 40, 40), (30, 110, 200)]):
        path = tmp_path / f"IMG_20250{i}.jpg"
        image = Image.new("RGB", (2400, 1800), colour)
        image.save(path, format="JPEG", quality=85)
        paths.append(str(path))
    return paths


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/me/")


def sign_out(page):
    page.click("footer button.link-button")
    page.wait_for_url("**/accounts/login/")


def test_log_return_fix_resubmit_approve_publish(ws, live_server, new_page, photos):
    page = new_page(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    shot(page, "01-sign-in")

    # The member logs an activity with two photos.
    sign_in(page, live_server, "hanshan_member")
    shot(page, "02-desk")
    page.click("main a.button-large[href='/me/activities/new/']")
    page.wait_for_url("**/activities/new/")
    shot(page, "03-activity-form-empty")
    page.wait_for_selector("form[data-enhanced]")
    page.select_option("#id_type", label="微宣讲")
    page.set_input_files("#id_photos", photos)
    page.fill("#id_description", "委员向居民宣讲医保新政策，现场解答问题。")
    page.click(".more-fields summary")  # place, people and the rest are folded
    page.fill("#id_place", "城关社区议事厅")
    page.fill("#id_residents_served", "40")
    page.wait_for_selector(".preview li:nth-child(2) img[src]")
    shot(page, "04-activity-form-filled")
    page.click("button[value=submit]")
    page.wait_for_url(SAVED)
    activity = Activity.objects.get()
    assert activity.status == Activity.Status.SUBMITTED
    assert activity.photos.count() == 2
    assert page.locator(".photo-grid img").count() == 2
    shot(page, "05-activity-submitted")
    sign_out(page)

    # The convener returns it with a comment.
    sign_in(page, live_server, "hanshan_convener")
    page.click(".tabbar a[href='/me/queue/']")
    shot(page, "06-queue")
    page.click(f"a[href='/me/queue/{activity.pk}/']")
    page.fill("#id_comment", "请补充参加活动的委员。")
    shot(page, "07-review")
    page.click("button[formaction$='/return/']")
    page.wait_for_url("**/me/queue/")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.RETURNED
    sign_out(page)

    # The member sees the comment, fixes the log and submits it again.
    sign_in(page, live_server, "hanshan_member")
    page.click(f"a[href='/me/activities/{activity.pk}/']")
    assert "请补充参加活动的委员。" in page.inner_text(".returned-comment")
    shot(page, "08-activity-returned")
    page.click(f"main a[href='/me/activities/{activity.pk}/edit/']")
    page.check(f"input[name=participants][value='{ws.peer.pk}']")
    shot(page, "09-activity-form-edit")
    page.click("button[value=submit]")
    page.wait_for_url(f"**/me/activities/{activity.pk}/")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.SUBMITTED
    assert ws.peer in activity.participants.all()
    sign_out(page)

    # The convener approves it.
    sign_in(page, live_server, "hanshan_convener")
    page.goto(f"{live_server.url}/me/queue/{activity.pk}/")
    page.click("button[formaction$='/approve/']")
    page.wait_for_url("**/me/queue/")
    shot(page, "10-queue-after-approval")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.APPROVED
    assert list(activity.reviews.values_list("action", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]

    # It appears on the workstation's public page (when the portal has that page).
    try:
        public_url = ws.workstation.get_absolute_url()
    except NoReverseMatch:
        pytest.skip("the public workstation page does not exist yet")
    page.goto(f"{live_server.url}{public_url}")
    assert activity.title in page.content()


def test_screens_of_the_workspace(ws, live_server, new_page, make_activity):
    """Screens of the remaining workspace pages, for a look on a phone and at the desk."""
    consultation = ConsultationFactory(workstation=ws.workstation, topic="老旧小区加装电梯")
    OutcomeFactory(committee=ws.committee, workstation=ws.workstation, authors=[ws.member])
    make_activity(status=Activity.Status.APPROVED, description="义诊")

    page = new_page(PHONE)
    sign_in(page, live_server, "hanshan_convener")
    page.goto(f"{live_server.url}{reverse('me:consultation_list')}")
    shot(page, "20-consultations")
    page.goto(f"{live_server.url}{reverse('me:consultation_open', args=[ws.workstation.pk])}")
    shot(page, "21-consultation-open")
    page.goto(f"{live_server.url}{reverse('me:consultation_step', args=[consultation.pk, 3])}")
    shot(page, "22-consultation-step-meeting")
    page.fill("#id_summary", "住户、物业和住建局面对面协商。")
    page.check(f"input[name=members][value='{ws.member.pk}']")
    page.fill("#id_departments", "县住建局")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/me/consultations/{consultation.pk}/")
    shot(page, "23-consultation-detail")
    page.goto(f"{live_server.url}{reverse('me:outcome_new')}")
    shot(page, "24-outcome-form")
    page.fill("#id_title", "关于农村客运班线的建议")
    page.fill("#id_summary", "部分行政村没有公交。")
    page.click("button[value=submit]")
    page.wait_for_url("**/me/outcomes/*/")
    shot(page, "25-outcome-detail")
    page.goto(f"{live_server.url}{reverse('me:outcome_list')}")
    shot(page, "26-outcome-list")
    # A form that failed: the error summary at the top.
    page.goto(f"{live_server.url}{reverse('me:activity_new', args=[ws.workstation.pk])}")
    page.evaluate("document.querySelector('#id_date').removeAttribute('max')")
    page.fill("#id_date", "2099-01-01")
    page.fill("#id_description", "写了很多字，一个也不能丢。")
    page.click("button[value=draft]")
    page.wait_for_selector(".error-summary")
    assert "写了很多字，一个也不能丢。" in page.input_value("#id_description")
    shot(page, "27-activity-form-error")

    desk = new_page(DESKTOP)
    sign_in(desk, live_server, "hanshan_member")
    shot(desk, "30-desk")
    desk.goto(f"{live_server.url}{reverse('me:activity_list')}")
    shot(desk, "31-my-logs")
