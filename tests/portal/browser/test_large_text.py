"""Large text (适老化) and short phone pages.

Every page is seen on a 360×780 phone with large text on, and at 200% zoom: a 180-pixel-wide
layout, which is what the page's CSS sees when a 360-pixel phone zooms to 200%
(``device_scale_factor`` alone changes no layout). A page fails when the document is wider than
the screen or any element reaches past its right edge, unless it sits inside a box that scrolls
sideways by design. Screenshots go to test-artifacts/large-text/.

The first load of the brand home, the workstation list and a workstation's page — the HTML and
everything the browser fetches before anyone scrolls — stays under 150 KB.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from consultations.models import ActivityPhoto
from members.models import Membership
from tests.browser import PHONE, shot
from tests.factories import MemberFactory, MembershipFactory, WorkstationFactory
from workstations.models import WorkstationPhoto

from .test_resident_flow import jpeg, photos

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SMALL_PHONE = {"width": 360, "height": 780}
# A 360×780 phone zoomed to 200%: the layout has 180 CSS pixels across.
ZOOMED = {"width": 180, "height": 390}
FIRST_LOAD_BUDGET = 150 * 1024

# Elements past the right edge, outside any box that scrolls sideways; and the document's width.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (["auto", "scroll", "hidden", "clip"].includes(s.overflowX)) return true;
    }
    return false;
  };
  const hidden = (el) => {
    const s = getComputedStyle(el);
    return s.position === "absolute" && (el.getBoundingClientRect().right < 0
      || s.clip !== "auto" || s.clipPath !== "none");
  };
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (!box.width || box.right <= width + 1 || scrolls(el) || hidden(el)) continue;
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.className && typeof el.className === "string"
        ? "." + el.className.trim().split(/\\s+/).join(".") : "");
    found.push(`${name} right=${Math.round(box.right)} "${(el.innerText || "").slice(0, 20)}"`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, found};
}"""


def busy_workstation(portal) -> None:
    """Photos everywhere, seventeen members at the workstation, and a dozen more workstations
    with photos: the case that made the pages ten screens long."""
    photos(portal)
    ws = portal.workstation
    for i in range(15):
        MembershipFactory(
            member=MemberFactory(committee=portal.county, name=f"委员{i:02d}"),
            workstation=ws,
            role=Membership.Role.RESIDENT,
        )
    for i in range(12):
        other = WorkstationFactory(committee=portal.county, name=f"含山第{i + 3}委员工作室")
        WorkstationPhoto.objects.create(workstation=other, image=jpeg((40, 120 + i * 8, 60)))
    photo = ActivityPhoto.objects.filter(activity=portal.activity).first()
    photo.thumbnail = jpeg((200, 120, 40), size=(400, 267))
    photo.save()


def public_pages(portal) -> list[tuple[str, str]]:
    slug = portal.county.slug
    ws = portal.workstation
    return [
        ("brand", f"/{slug}/"),
        ("workstations", reverse("public:workstation_list", args=[slug])),
        ("workstation", ws.get_absolute_url()),
        ("message-form", reverse("public:message_form", args=[slug, ws.slug])),
    ]


def overflow_of(page) -> list[str]:
    found = page.evaluate(OVERFLOW)
    problems = list(found["found"])
    if found["scrollWidth"] > found["width"]:
        problems.insert(0, f"document scrollWidth={found['scrollWidth']} > {found['width']}")
    return problems


def check_pages(page, base: str, pages, label: str) -> dict[str, list[str]]:
    failures = {}
    for name, path in pages:
        page.goto(f"{base}{path}")
        shot(page, f"{name}-{label}", folder="large-text")
        if problems := overflow_of(page):
            failures[f"{name} ({label})"] = problems
    return failures


def large_text_on(page, base: str) -> None:
    """Turn large text on with the switch in the header, as a visitor would."""
    page.goto(f"{base}/")
    page.locator(".text-switch button[name=size][value=large]").click()
    page.wait_for_load_state()
    assert page.locator("html.text-large").count() == 1


def test_public_pages_hold_with_large_text_and_at_200_percent_zoom(live_server, new_page, portal):
    busy_workstation(portal)
    pages = public_pages(portal)
    failures = {}

    page = new_page(SMALL_PHONE)
    large_text_on(page, live_server.url)
    failures |= check_pages(page, live_server.url, pages, "large")
    # Remembered from page to page, and switched off again by the same button.
    assert page.locator("html.text-large").count() == 1
    page.locator(".text-switch button[name=size][value=normal]").click()
    page.wait_for_load_state()
    assert page.locator("html.text-large").count() == 0

    failures |= check_pages(new_page(ZOOMED), live_server.url, pages, "zoom200")
    failures |= check_pages(new_page(PHONE), live_server.url, pages[2:3], "normal")
    assert failures == {}


def test_the_workspace_holds_with_large_text_and_at_200_percent_zoom(live_server, new_page, portal):
    convener = portal.hanshan.convener.user
    pages = [
        ("me-desk", reverse("me:desk")),
        ("me-activity-form", reverse("me:activity_new", args=[portal.workstation.pk])),
    ]
    failures = {}
    page = new_page(SMALL_PHONE, user=convener)
    large_text_on(page, live_server.url)
    failures |= check_pages(page, live_server.url, pages, "large")
    # Every label of the tab bar is on the screen, none cut off.
    for tab in page.locator(".tabbar a").all():
        box = tab.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= SMALL_PHONE["width"] + 1
    failures |= check_pages(new_page(ZOOMED, user=convener), live_server.url, pages, "zoom200")
    assert failures == {}


def test_the_workstation_page_folds_away_all_but_six_members(live_server, new_page, portal):
    busy_workstation(portal)
    page = new_page(PHONE)
    page.goto(f"{live_server.url}{portal.workstation.get_absolute_url()}")
    members = page.locator("#members ~ ul.members > li.member")
    assert members.count() == 6
    folded = page.locator("details.more-members li")
    assert folded.count() == 11 and not folded.first.is_visible()
    page.locator("details.more-members > summary").click()
    assert folded.first.is_visible()
    # The activities come before the members.
    activities_top = page.locator("#activities").bounding_box()["y"]
    assert activities_top < page.locator("#members").bounding_box()["y"]


def test_the_first_load_of_the_brand_home_and_the_workstation_pages_is_under_150_kb(
    live_server, new_page, portal
):
    busy_workstation(portal)
    sizes = {}
    for name, path in public_pages(portal)[:3]:
        page = new_page(PHONE)
        loaded = []
        page.on("requestfinished", lambda request, loaded=loaded: loaded.append(request))
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        total = 0
        for request in loaded:
            response = request.response()
            body = response.body() if response else b""
            total += request.sizes()["responseHeadersSize"] + len(body)
        sizes[name] = total
    assert all(size < FIRST_LOAD_BUDGET for size in sizes.values()), sizes
