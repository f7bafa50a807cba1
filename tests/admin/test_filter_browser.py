"""A filter of the back office picked by typing, in a real browser at phone size."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser import PHONE, accessibility_violations, describe
from tests.factories import ActivityFactory, WorkstationFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_clerk_types_a_workstations_name_and_sees_its_activities(
    hanshan, live_server, new_page, monkeypatch
):
    from workstations import admin_base

    monkeypatch.setattr(admin_base.VisibleChoicesFilter, "listed_at_most", 1)
    other = WorkstationFactory(committee=hanshan.committee, name="环峰镇委员工作室")
    ActivityFactory(workstation=other, title="环峰养老服务座谈")
    ActivityFactory(workstation=hanshan.workstation, title="另一场调研")
    page = new_page(PHONE, user=hanshan.staff)
    page.goto(live_server.url + reverse("admin:consultations_activity_changelist"))
    assert page.get_by_text("另一场调研").is_visible()

    page.locator("#changelist-filter .autocomplete-filter .select2-selection").click()
    page.locator(".select2-search__field").fill("环峰")
    page.locator(".select2-results__option", has_text="环峰镇委员工作室").click()
    page.wait_for_url(f"**workstation__id__exact={other.pk}*")

    assert page.get_by_text("环峰养老服务座谈").is_visible()
    assert page.get_by_text("另一场调研").count() == 0
    violations = accessibility_violations(page)
    assert not violations, describe(violations)
