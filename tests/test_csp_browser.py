"""Every kind of page under the enforced Content-Security-Policy, in headless Chromium on a phone:
the public pages (fresh and from the page cache), the member workspace, the staff dashboards,
the admin with its import, preview and export pages, the sign-in page and the error pages. The
browser reports each thing it refused (a ``securitypolicyviolation`` event, a console error):
there must be none, and the pages must still do what their scripts are for.

A few interactions run the scripts that build markup at run time (the charts' tooltip, the
admin's calendar, the import-export page's "select all"), since a style attribute in markup
written by a script is refused as well.
"""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest
from django.urls import include, path

from tests.browser import PHONE, artifacts, shot
from tests.office.conftest import populate_county
from tests.spreadsheets import csv_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.slow]

# Collects what the page refused, from before its first script runs; Playwright adds this
# script outside the page's policy.
LISTEN = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__refused.push(`${e.effectiveDirective}: ${e.blockedURI || "inline"} ` +
    `(${e.sourceFile || location.pathname}:${e.lineNumber}) ${e.sample || ""}`);
});
"""
POLICY_MESSAGE = re.compile(r"Content Security Policy|Permissions[- ]Policy|Refused to", re.I)


def boom(request: HttpRequest):
    raise RuntimeError("a server error, on purpose (tests/test_csp_browser.py)")


# The site's addresses and one that fails, for the 500 page.
urlpatterns = [path("boom/", boom), path("", include("config.urls"))]


class Watch:
    """A phone-sized page that records every refusal, by event and by console message."""

    def __init__(self, page, base: str):
        self.page, self.base, self.console = page, base, []
        page.add_init_script(LISTEN)
        page.on(
            "console",
            lambda m: (
                self.console.append(f"{page.url}: {m.text}")
                if m.type in ("error", "warning") and POLICY_MESSAGE.search(m.text)
                else None
            ),
        )

    def visit(self, address: str, *, status: int = 200, name: str | None = None) -> None:
        response = self.page.goto(self.base + address)
        assert response.status == status, f"{address}: {response.status}"
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        self.page.wait_for_load_state("networkidle")
        if name:
            # Not audited here: axe's own styles would be refused like any inline style, and
            # tests/test_accessibility.py audits these pages.
            shot(self.page, name, folder="csp", audit=False)
        self.assert_clean(address)

    def assert_clean(self, where: str) -> None:
        refused = self.page.evaluate("window.__refused || []")
        assert refused == [], f"{where}: {refused}"
        assert self.console == [], f"{where}: {self.console}"


@pytest.fixture
def watch(new_page, live_server):
    def _watch(user=None) -> Watch:
        return Watch(new_page(PHONE, user=user), live_server.url)

    return _watch


def test_public_pages_refuse_nothing(world, watch, settings):
    settings.ROOT_URLCONF = __name__
    c, ws = world.c.slug, world.ws.slug
    public = watch()
    public.visit("/", name="home")
    for _fresh_then_cached in range(2):
        public.visit(f"/{c}/", name="brand-home")
    # The brand colour reaches the page through /brands.css, not a style attribute.
    colour = public.page.evaluate(
        "getComputedStyle(document.body).getPropertyValue('--brand').trim()"
    )
    assert colour.lower() == world.c.brand_colour.lower()
    for address in (
        f"/{c}/workstations/",
        f"/{c}/workstations/{ws}/",
        f"/{c}/workstations/{ws}/poster/",
        f"/{c}/workstations/{ws}/message/",
        f"/{c}/activities/",
        f"/{c}/activities/{world.activity.pk}/",
        f"/{c}/consultations/{world.consultation.pk}/",
        f"/{c}/outcomes/{world.outcome.pk}/",
        f"/{c}/members/{world.member.pk}/",
        f"/{c}/members/{world.member.pk}/card/",
        f"/{c}/search/?q=%E5%90%AB",
        "/track/",
        "/accounts/login/",
        "/admin/login/",
    ):
        public.visit(address)
    public.visit("/no-such-county/", status=404, name="404")
    public.visit("/boom/", status=500, name="500")
    # The 500 page is styled, by its own stylesheet.
    assert public.page.evaluate("getComputedStyle(document.body).backgroundColor") == (
        "rgb(250, 247, 245)"
    )


def test_the_member_workspace_refuses_nothing(world, watch, tmp_path):
    member = watch(world.member.user)
    member.visit("/me/", name="desk")
    assert (
        member.page.evaluate("getComputedStyle(document.body).getPropertyValue('--brand').trim()")
        == world.c.brand_colour.lower()
    )
    member.visit("/me/activities/new/")
    member.visit(f"/me/w/{world.ws.pk}/activities/new/")
    # The preview of a chosen photo is a blob: image.
    from PIL import Image

    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (64, 48), (200, 40, 40)).save(photo, "JPEG")
    member.page.set_input_files("#id_photos", str(photo))
    member.page.wait_for_selector("[data-preview-for] img")
    member.assert_clean("the photo preview")
    member.visit(f"/me/activities/{world.draft.pk}/")
    member.visit("/me/consultations/")
    member.visit("/me/outcomes/")


def test_the_office_dashboards_refuse_nothing(hanshan, watch):
    populate_county(hanshan.committee, workstations=4, year=2025)
    staff = watch(hanshan.staff)
    for page in ("rhythm", "points", "assessment", "ledgers"):
        staff.visit(f"/office/hanshan/{page}/")
    staff.visit("/office/hanshan/figures/?year=2025", name="figures")
    staff.page.wait_for_selector("#chart-monthly svg")
    # The tooltip is markup the chart library writes: hover over a month.
    chart = staff.page.locator("#chart-monthly")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    texts = chart.locator("svg text").count()
    staff.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 3)
    staff.page.wait_for_timeout(300)
    assert chart.locator("svg text").count() > texts  # the tooltip, drawn inside the chart
    staff.page.screenshot(path=str(artifacts("csp") / "figures-tooltip.png"))
    staff.assert_clean("the chart's tooltip")


def test_the_admin_refuses_nothing(world, register, watch):
    staff = watch(world.hanshan.staff)
    staff.visit("/admin/", name="admin-index")
    # A list with filters and a date hierarchy, and a list with no actions.
    staff.visit("/admin/consultations/activity/?status__exact=approved", name="admin-list")
    staff.visit("/admin/workstations/workstation/")
    # A change form with inlines and image fields: its calendar and "add another" run scripts.
    staff.visit(f"/admin/workstations/workstation/{world.ws.pk}/change/", name="admin-change")
    staff.page.locator(".add-row a").first.click()
    staff.page.locator(".select2-selection").first.click()
    staff.page.wait_for_selector(".select2-results li")
    staff.assert_clean("the admin's inlines and autocomplete")
    staff.visit(f"/admin/consultations/activity/{world.activity.pk}/change/")
    staff.page.locator(".datetimeshortcuts a[id^=calendarlink]").first.click()
    staff.page.wait_for_selector(".calendarbox table")
    staff.assert_clean("the admin's calendar")
    staff.visit(f"/admin/workstations/workstation/{world.ws.pk}/history/")

    # Import: the form, then the preview with its confirmation.
    staff.visit("/admin/members/member/import/", name="admin-import")
    rows = [
        ["姓名", "性别", "界别", "手机号", "所在工作室", "角色"],
        ["王芳", "女", "医药卫生界", "13955510001", world.ws.name, "召集人"],
    ]
    staff.page.set_input_files(
        "#id_import_file",
        {"name": "members.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)},
    )
    staff.page.locator("#content form input[type=submit]").click()
    staff.page.wait_for_selector("input[name=confirm]")
    shot(staff.page, "admin-import-preview", folder="csp", audit=False)
    staff.assert_clean("the import preview")

    # Export: the page, and its "select all" box, which the library wires with an attribute.
    staff.visit("/admin/members/member/export/", name="admin-export")
    toggle = staff.page.locator("input.select-toggle")
    toggle.uncheck()
    assert not staff.page.locator(".selectable-field-export-row input:checked").count()
    toggle.check()
    assert staff.page.locator(".selectable-field-export-row input:not(:checked)").count() == 0
    staff.assert_clean("the export page")


def test_the_watch_sees_what_the_policy_refuses(db, watch):
    """The listener works: markup with a style attribute and an inline script, written by a
    script, are refused and reported (else the tests above would pass on a deaf browser)."""
    public = watch()
    public.visit("/track/")
    public.page.evaluate(
        """() => {
        document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
        const s = document.createElement("script");
        s.textContent = "window.__ran = true;";
        document.body.appendChild(s);
    }"""
    )
    public.page.wait_for_timeout(200)
    refused = public.page.evaluate("window.__refused")
    assert any(r.startswith("style-src-attr") for r in refused), refused
    assert any(r.startswith("script-src-elem") for r in refused), refused
    assert public.page.evaluate("window.__ran") is None
    assert any("Content Security Policy" in m for m in public.console)
