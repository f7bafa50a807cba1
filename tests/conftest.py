"""Persona fixtures, one set for the whole suite: two counties (含山 under 马鞍山 under 安徽; 惠民
under 滨州 under 山东), each with office staff, a workstation with a convener and a member and a
second workstation with its own convener; staff of the city above 含山; a reader; a superuser;
and the public (an anonymous client). ``world`` adds to them the published and unpublished
records every permission matrix asks about (tests/test_permissions.py, tests/me/, tests/office/).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from consultations.services.setup import committee_seed_activity_types
from members.models import Membership, StaffRole
from workstations.models import Area, Committee
from workstations.services import committee_seed_organisation_defaults

from . import browser as browser_helpers
from .factories import (
    PASSWORD,
    ActivityFactory,
    CommitteeFactory,
    ConsultationFactory,
    MemberFactory,
    MembershipFactory,
    OutcomeFactory,
    StaffRoleFactory,
    UserFactory,
    WorkstationFactory,
)
from .personas import PERSONAS, add_workspace_personas


def _county(slug: str, name: str, city: tuple[str, str], province: tuple[str, str], brand: str):
    province_c = CommitteeFactory(
        slug=province[0], name=province[1], level=Committee.Level.PROVINCE, parent=None
    )
    city_c = CommitteeFactory(
        slug=city[0], name=city[1], level=Committee.Level.CITY, parent=province_c
    )
    county = CommitteeFactory(
        slug=slug, name=name, level=Committee.Level.COUNTY, parent=city_c, brand_name=brand
    )
    return county


def _county_personas(county: Committee, prefix: str) -> SimpleNamespace:
    staff = StaffRoleFactory(
        user=UserFactory(username=f"{prefix}_office", is_staff=True), committee=county
    ).user
    workstation = WorkstationFactory(committee=county, name=f"{county.name}第一委员工作室")
    other_workstation = WorkstationFactory(committee=county, name=f"{county.name}第二委员工作室")
    convener = MemberFactory(
        committee=county, name=f"{prefix}召集人", user=UserFactory(username=f"{prefix}_convener")
    )
    member = MemberFactory(
        committee=county, name=f"{prefix}委员", user=UserFactory(username=f"{prefix}_member")
    )
    other_member = MemberFactory(
        committee=county, name=f"{prefix}另一委员", user=UserFactory(username=f"{prefix}_other")
    )
    MembershipFactory(member=convener, workstation=workstation, role=Membership.Role.CONVENER)
    MembershipFactory(member=member, workstation=workstation, role=Membership.Role.RESIDENT)
    MembershipFactory(
        member=other_member, workstation=other_workstation, role=Membership.Role.CONVENER
    )
    return SimpleNamespace(
        committee=county,
        staff=staff,
        workstation=workstation,
        other_workstation=other_workstation,
        convener=convener,
        member=member,
        other_member=other_member,
    )


def engine_missing(what: str) -> None:
    """A test that needs a real engine this machine lacks: skipped, with the reason, unless
    ``REQUIRE_ENGINES`` is set (CI sets it), where a missing engine fails the test."""
    if os.environ.get("REQUIRE_ENGINES"):
        pytest.fail(f"{what} is required (REQUIRE_ENGINES is set) but does not answer")
    pytest.skip(f"{what} does not answer here")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A real Redis database of the tests' own (TEST_REDIS_URL, by default database 13 on
    127.0.0.1), emptied before the tests that use it."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError:
        engine_missing(f"Redis at {url}")
    return url


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language: a request made by an earlier test through the
    test client leaves its language active in this thread (the middleware activates it), and a
    browser test compares the live server's page with strings translated here."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits, committee versions and cached figures live in the cache, and ids repeat
    from one test to the next: every test starts with an empty cache (and the portal's slugs
    kept in the process forgotten)."""
    from config.portal.cache import forget_tenants

    cache.clear()
    forget_tenants()
    yield
    cache.clear()
    forget_tenants()


@pytest.fixture
def hanshan(db) -> SimpleNamespace:
    county = _county(
        "hanshan", "含山县政协", ("maanshan", "马鞍山市政协"), ("anhui", "安徽省政协"), "含您协商"
    )
    return _county_personas(county, "hanshan")


@pytest.fixture
def huimin(db) -> SimpleNamespace:
    county = _county(
        "huimin",
        "惠民县政协",
        ("binzhou", "滨州市政协"),
        ("shandong", "山东省政协"),
        "有事多商量·惠协商",
    )
    return _county_personas(county, "huimin")


@pytest.fixture
def city_staff(hanshan):
    """Office staff of 马鞍山市政协, the city above 含山."""
    return StaffRoleFactory(
        user=UserFactory(username="maanshan_office", is_staff=True),
        committee=hanshan.committee.parent,
    ).user


@pytest.fixture
def province_staff(hanshan):
    """Office staff of 安徽省政协, the province above 含山's city."""
    return StaffRoleFactory(
        user=UserFactory(username="anhui_office", is_staff=True),
        committee=hanshan.committee.parent.parent,
    ).user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def reader_staff(hanshan):
    """A 含山 staff account that may only read, and may neither import nor export."""
    return StaffRoleFactory(
        user=UserFactory(username="hanshan_reader", is_staff=True),
        committee=hanshan.committee,
        role=StaffRole.Role.READER,
        can_import=False,
        can_export=False,
    ).user


@pytest.fixture
def world(hanshan, huimin, city_staff, reader_staff, superuser) -> SimpleNamespace:
    """The personas, and in 含山 published and unpublished records side by side: a hidden
    workstation with its own member and activity, a published, a submitted and a draft activity
    (the last two by ``member``), a published and an unpublished consultation, a published and
    a draft outcome (the draft by ``member``). ``world.users[persona]`` is the account (None for
    the public)."""
    from consultations.models import Activity
    from outcomes.models import Outcome

    add_workspace_personas(hanshan)
    c, ws = hanshan.committee, hanshan.workstation
    w = SimpleNamespace(hanshan=hanshan, huimin=huimin, c=c, other=huimin.committee, ws=ws)
    w.hidden_ws = WorkstationFactory(committee=c, is_published=False)
    w.activity = ActivityFactory(workstation=ws, type=hanshan.activity_type)
    w.submitted = ActivityFactory(
        workstation=ws,
        type=hanshan.activity_type,
        author=hanshan.member,
        status=Activity.Status.SUBMITTED,
        approved_at=None,
    )
    w.draft = ActivityFactory(
        workstation=ws,
        type=hanshan.activity_type,
        author=hanshan.member,
        status=Activity.Status.DRAFT,
        approved_at=None,
        description="草稿",
    )
    w.in_hidden = ActivityFactory(workstation=w.hidden_ws)
    w.consultation = ConsultationFactory(workstation=ws)
    w.hidden_consultation = ConsultationFactory(workstation=ws, is_published=False)
    w.outcome = OutcomeFactory(committee=c, workstation=ws)
    w.draft_outcome = OutcomeFactory(
        committee=c,
        workstation=ws,
        status=Outcome.Status.DRAFT,
        submitted_on=None,
        authors=[hanshan.member],
    )
    w.member = hanshan.member
    w.hidden_member = MemberFactory(committee=c)
    MembershipFactory(
        member=w.hidden_member, workstation=w.hidden_ws, role=Membership.Role.RESIDENT
    )
    w.users = {
        "anonymous": None,
        "member": hanshan.member.user,
        "peer": hanshan.peer.user,
        "far": hanshan.far.user,
        "convener": hanshan.convener.user,
        "other_convener": hanshan.other_member.user,
        "staff": hanshan.staff,
        "reader": reader_staff,
        "city_staff": city_staff,
        "other_county_staff": huimin.staff,
        "other_county_member": huimin.member.user,
        "superuser": superuser,
    }
    assert set(w.users) == set(PERSONAS)
    return w


@pytest.fixture
def login():
    """login(user) → a test client signed in as that user."""

    def _login(user) -> Client:
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return _login


@pytest.fixture
def english_login():
    """login(user) → a client signed in as that user, reading the pages in English: the
    assertions then read the message ids, whatever the zh_Hans catalogue says."""

    def _login(user) -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return _login


@pytest.fixture
def in_english():
    """Messages built outside a request are checked in English (their ids)."""
    with translation.override("en"):
        yield


# --- Spreadsheets ------------------------------------------------------------------------------


@pytest.fixture
def register(hanshan, huimin):
    """含山 and 惠民 with the usual sectors and activity types, and a town each."""
    for county in (hanshan, huimin):
        committee_seed_organisation_defaults(committee=county.committee)
        committee_seed_activity_types(committee=county.committee)
        Area.objects.create(committee=county.committee, name="城关镇", kind=Area.Kind.TOWN)
    return hanshan


@pytest.fixture
def run_import():
    """run_import(ResourceClass, committee, user, rows_or_dataset) → (dry-run result, result).

    As the admin does: a dry run for the preview, then the real import if the preview is clean.
    """
    from .spreadsheets import sheet

    def _run(resource_class, committee, user, rows, file_name="sheet.xlsx"):
        dataset = rows if not isinstance(rows, list) else sheet(rows, file_name)
        preview = resource_class(committee=committee, user=user).import_data(
            dataset, dry_run=True, user=user, file_name=file_name
        )
        if preview.has_errors() or preview.has_validation_errors():
            return preview, None
        result = resource_class(committee=committee, user=user).import_data(
            dataset, dry_run=False, user=user, file_name=file_name
        )
        return preview, result

    return _run


# --- Browsers ----------------------------------------------------------------------------------


def pytest_collection_modifyitems(items):
    """Every test that drives a real browser carries the ``browser`` marker (``make test-fast``
    leaves them out), and is skipped with the reason when the system Chromium is absent."""
    absent = not Path(browser_helpers.CHROMIUM).exists()
    skip = pytest.mark.skip(
        reason=f"{browser_helpers.CHROMIUM} is absent: run .ci/browser-setup to install it"
    )
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
            if absent:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's sync API keeps an event loop running in the test thread from now on; Django
    # refuses database access from such a thread unless told that it is safe (it is: the loop
    # is Playwright's). Set here, when a browser starts, not when a file is imported, so that
    # runs without a browser (and `check --deploy` in tests/test_deploy.py) never see it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return {
        **browser_type_launch_args,
        "executable_path": browser_helpers.CHROMIUM,
        "headless": True,
        "args": browser_helpers.CHROMIUM_ARGS,
    }


@pytest.fixture
def new_page(browser, live_server):
    """new_page(viewport, user=None) → a page in a fresh browser context: a phone gets touch and
    a mobile user agent; with ``user`` the browser is signed in as that account. Uploads are
    served from MEDIA_ROOT."""
    contexts = []

    def _new(viewport=browser_helpers.PHONE, locale: str = "zh-CN", *, user=None):
        phone = viewport["width"] < 600
        context = browser.new_context(
            viewport=viewport,
            locale=locale,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=1,
            # Playwright's advice with routing: a service worker's requests bypass the routes,
            # and the workspace's worker (tested in tests/me/test_app.py) took navigations of
            # /me/ past the test's timeout now and then on a loaded machine.
            service_workers="block",
        )
        context.route(f"**{settings.MEDIA_URL}**", browser_helpers.serve_media)
        if user is not None:
            client = Client()
            assert client.login(username=user.username, password=PASSWORD)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
        # Generous: CI shares two cores between the suite, the live server and Chromium, and a
        # click that starts a navigation waits for the server's answer (photos resized, figures
        # written) within this time.
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield _new
    from playwright.sync_api import Error as PlaywrightError

    for context in contexts:
        # A request still being served when the test ends would hold SQLite's tables while the
        # database is emptied for the next test: let each page's requests finish first.
        for page in context.pages:
            with contextlib.suppress(PlaywrightError):
                page.wait_for_load_state("networkidle", timeout=5_000)
        context.close()
