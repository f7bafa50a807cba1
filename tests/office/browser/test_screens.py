"""The office pages in a browser, on a laptop and on a phone: they render, the charts draw from
our own static files, the board scrolls sideways with the workstation column in place; the
screenshots are kept in test-artifacts/office/ for a person to look at."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser import DESKTOP, PHONE
from tests.browser import shot as browser_shot
from tests.office.conftest import populate_county


def shot(page, name: str, **kwargs):
    return browser_shot(page, name, folder="office", **kwargs)


pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def county(hanshan):
    populate_county(hanshan.committee, workstations=14, year=timezone.localdate().year)
    return hanshan


def test_office_pages_on_a_laptop(county, live_server, new_page):
    page = new_page(DESKTOP, user=county.staff)
    base = f"{live_server.url}/office/hanshan"
    external = []
    page.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None,
    )

    page.goto(f"{base}/rhythm/")
    assert page.locator("table.board tbody tr").count() == 16
    shot(page, "board")

    page.goto(f"{base}/figures/")
    page.wait_for_selector("#chart-monthly svg")
    page.wait_for_selector("#chart-rates svg")
    shot(page, "figures")

    page.goto(f"{base}/points/")
    shot(page, "points")
    page.locator("table.ranking tbody a").first.click()
    page.wait_for_url("**/points/*/**")
    shot(page, "member")

    page.goto(f"{base}/assessment/")
    shot(page, "assessment")
    assert external == []  # no CDN, nothing from elsewhere

    requirement = county.committee.requirements.order_by("order").first()
    page.goto(f"{live_server.url}/admin/outcomes/requirement/{requirement.pk}/change/")
    shot(page, "admin-requirement")


def test_the_board_on_a_phone_keeps_the_workstation_column(county, live_server, new_page):
    page = new_page(PHONE, user=county.staff)
    page.goto(f"{live_server.url}/office/hanshan/rhythm/")
    shot(page, "board-phone-top", full_page=False)
    table = page.locator(".board-scroll")
    table.scroll_into_view_if_needed()
    first = page.locator("table.board tbody th.board-ws").first
    before = first.bounding_box()["x"]
    table.evaluate("el => { el.scrollLeft = 400; }")
    assert table.evaluate("el => el.scrollLeft") > 0  # it does scroll sideways
    assert first.bounding_box()["x"] == before  # and the workstation column stays
    shot(page, "board-phone-scrolled", full_page=False)
    shot(page, "board-phone")
    # The page itself does not scroll sideways: only the board does.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_admin_index_on_a_phone_fits_the_screen_with_its_to_do_box(
    county, live_server, new_page
):
    page = new_page(PHONE, user=county.staff)
    page.goto(f"{live_server.url}/admin/")
    assert page.locator(".waiting-module .waiting-count").count() == 3
    shot(page, "admin-index-phone")
    # Neither the page nor the app list scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    rights = page.eval_on_selector_all(
        "#content-main .module", "boxes => boxes.map(b => b.getBoundingClientRect().right)"
    )
    assert len(rights) > 3 and max(rights) <= PHONE["width"]
