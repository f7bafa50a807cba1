"""Accessibility as a test: axe-core, served from our own static files, on every page a person
opens, at phone size, as the person who opens it: 0 critical and 0 serious violations.

The pages are the permission matrices' own (tests/test_permissions.py, tests/me/ and
tests/office/): every address a persona may open with GET and that answers HTML is audited as
that persona, so a new page joins this test the moment it joins its matrix. The back office is
audited on its index, on the list of every model a county's staff may open, and on the add and
change pages of the records a clerk works with every day. The flows of the other browser tests
audit the states these pages reach (an error on a form, a message after saving).
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.browser import PHONE, accessibility_violations, describe
from tests.factories import PublicMessageFactory
from tests.me.test_permissions import CASES as WORKSPACE_CASES
from tests.office.test_permissions import CASES as OFFICE_CASES
from tests.test_permissions import CASES as PUBLIC_CASES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.slow]


def _audit(new_page, live_server, user, urls: list[str]) -> None:
    """Open each address in one signed-in phone and collect what axe finds on the HTML pages."""
    page = new_page(PHONE, user=user)
    failures, audited = [], 0
    for url in urls:
        # Downloads (workbooks, calendars) are asked for first without opening them.
        head = page.request.get(f"{live_server.url}{url}", max_redirects=0)
        assert head.status < 400, (url, head.status)
        if not head.headers.get("content-type", "").startswith("text/html"):
            continue
        page.goto(f"{live_server.url}{url}")
        audited += 1
        violations = accessibility_violations(page)
        if violations:
            failures.append(f"{url}\n{describe(violations)}")
    assert audited, "no page was audited"
    assert not failures, "\n".join(failures)


def test_public_pages(world, live_server, new_page):
    urls = []
    for name, kwargs, expected in PUBLIC_CASES:
        if isinstance(expected, dict):
            expected = expected.get("anonymous", expected.get("*"))
        if expected == 200:
            urls.append(reverse(name, kwargs=kwargs(world)))
    message = PublicMessageFactory(workstation=world.ws)
    urls.append(reverse("public:track") + f"?code={message.tracking_code}")
    _audit(new_page, live_server, None, urls)


# Who opens a workspace page: the first persona of these who may.
WORKSPACE_READERS = ("member", "convener", "peer", "far", "other_convener")


def test_workspace_pages(world, live_server, new_page):
    by_persona: dict[str, list[str]] = {}
    for name, method, kwargs, _data, expected in WORKSPACE_CASES:
        if method != "get":
            continue
        persona = next((p for p in WORKSPACE_READERS if expected.get(p) == 200), None)
        if persona is not None:
            url = reverse(name, kwargs=kwargs(world) if kwargs else None)
            by_persona.setdefault(persona, []).append(url)
    assert set(by_persona) >= {"member", "convener"}
    for persona, urls in by_persona.items():
        _audit(new_page, live_server, world.users[persona], urls)


def test_office_pages(world, live_server, new_page):
    urls = []
    for name, kwargs, method, data, expected in OFFICE_CASES:
        if method == "get" and expected["staff"] == 200:
            url = reverse(name, kwargs={"committee": "hanshan", **kwargs(world)})
            query = "&".join(f"{k}={v}" for k, v in (data(world) if data else {}).items())
            urls.append(f"{url}?{query}" if query else url)
    _audit(new_page, live_server, world.users["staff"], urls)


def test_back_office_pages(world, live_server, new_page):
    message = PublicMessageFactory(workstation=world.ws)
    changes = {
        "workstations_workstation": world.ws.pk,
        "members_member": world.member.pk,
        "consultations_activity": world.submitted.pk,
        "consultations_consultation": world.consultation.pk,
        "consultations_publicmessage": message.pk,
        "outcomes_outcome": world.outcome.pk,
    }
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label in ("auth", "django_celery_results"):
            continue
        label = f"{opts.app_label}_{opts.model_name}"
        urls.append(reverse(f"admin:{label}_changelist"))
        if label in changes:
            if label != "consultations_publicmessage":  # residents write them, not staff
                urls.append(reverse(f"admin:{label}_add"))
            urls.append(reverse(f"admin:{label}_change", args=[changes[label]]))
    _audit(new_page, live_server, world.users["superuser"], urls)


def test_an_open_choice_list_of_the_back_office(world, live_server, new_page):
    page = new_page(PHONE, user=world.users["staff"])
    page.goto(
        live_server.url + reverse("admin:consultations_activity_change", args=[world.submitted.pk])
    )
    page.locator("#id_workstation + .select2 .select2-selection").click()
    page.wait_for_selector(".select2-results__option--highlighted")
    violations = accessibility_violations(page)
    assert not violations, describe(violations)


def test_the_audit_finds_an_unnamed_button_and_a_picture_without_text(new_page):
    page = new_page(PHONE)
    page.set_content(
        '<html lang="zh-Hans"><head><title>测试</title></head><body><main>'
        '<img src="/static/img/favicon.svg"><button></button></main></body></html>'
    )
    found = {v["id"] for v in accessibility_violations(page)}
    assert {"image-alt", "button-name"} <= found
