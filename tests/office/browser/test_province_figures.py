"""A province's figures on a phone: the counties summed by city, every county on demand."""

from __future__ import annotations

import pytest

from tests.browser import PHONE
from tests.browser import shot as browser_shot
from tests.factories import StaffRoleFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_province_sees_its_figures_by_city_on_a_phone(
    hanshan, live_server, new_page, monkeypatch
):
    from config.office import figures

    monkeypatch.setattr(figures, "FOLD_COUNTIES", 0)
    province = hanshan.committee.parent.parent
    staff = StaffRoleFactory(user=UserFactory(is_staff=True), committee=province).user
    page = new_page(PHONE, user=staff)
    page.goto(f"{live_server.url}/office/anhui/figures/")
    section = page.locator("section[aria-labelledby=counties-title]")
    assert section.locator("h2").inner_text() == "按市统计"
    assert section.locator("tbody th a").all_inner_texts() == ["马鞍山市政协"]
    browser_shot(page, "figures-by-city", folder="office", full_page=True)
    section.get_by_role("link", name="显示全部县（全表）").click()
    page.wait_for_url("**counties=all")
    counties = page.locator("section[aria-labelledby=counties-title]")
    assert counties.locator("h2").inner_text() == "按县统计"
    assert counties.locator("tbody th a").all_inner_texts() == ["含山县政协"]
