"""Fixtures for the member workspace: the 含山 personas plus a second member of the same
workstation and a plain member of the other one, activity types, and real image files."""

from __future__ import annotations

import io
import os
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from consultations.models import Activity
from tests.personas import add_workspace_personas


@pytest.fixture
def ws(hanshan):
    """含山 with: ``peer`` (a second resident member of the same workstation), ``far`` (a
    resident member of the other workstation, convened by ``other_member``) and the usual
    activity types (see ``tests.personas``)."""
    return add_workspace_personas(hanshan)


def jpeg_bytes(
    size=(64, 48), colour=(200, 30, 30), *, gps: bool = False, orientation: int | None = None
) -> bytes:
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (31.0, 42.0, 30.0), 3: "E", 4: (118.0, 6.0, 15.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def upload(name: str = "IMG_0001.jpg", data: bytes | None = None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(), content_type)


def activity_post(ws, **overrides) -> dict:
    """A complete, valid POST of the activity form for ``ws.member``."""
    from django.utils import timezone

    data = {
        "form_token": str(uuid.uuid4()),
        "type": ws.activity_type.pk,
        "date": timezone.localdate().isoformat(),
        "place": "社区议事厅",
        "participants": [ws.member.pk, ws.convener.pk],
        "residents_served": "35",
        "description": "委员向居民宣讲医保新政策。",
        "title": "",
        "media-TOTAL_FORMS": "1",
        "media-INITIAL_FORMS": "0",
        "media-MIN_NUM_FORMS": "0",
        "media-MAX_NUM_FORMS": "5",
        "media-0-url": "",
        "media-0-title": "",
        "action": "draft",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_activity(ws):
    """make_activity(status=…, author=…) → an Activity at ws.workstation."""
    from tests.factories import ActivityFactory

    def _make(status=Activity.Status.DRAFT, author=None, **kwargs):
        return ActivityFactory(
            workstation=kwargs.pop("workstation", ws.workstation),
            type=ws.activity_type,
            author=author or ws.member,
            status=status,
            **kwargs,
        )

    return _make


# --- Browser (Playwright, the system Chromium) -------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _artifacts():
    from pathlib import Path

    from django.conf import settings

    return Path(settings.BASE_DIR) / "test-artifacts" / "workspace"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium fonts-noto-cjk)")
    # Playwright's sync API keeps an event loop running in the test thread from now on; Django
    # refuses database access from such a thread unless told that it is safe (it is: the loop
    # is Playwright's). Set here, when a browser starts, not when the file is imported, so
    # that runs without a browser (and `check --deploy` in tests/test_deploy.py) never see it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def _serve_media(route):
    """The live server does not serve uploads: answer from MEDIA_ROOT."""
    import mimetypes
    from pathlib import Path

    from django.conf import settings

    path = route.request.url.split(settings.MEDIA_URL, 1)[1].split("?", 1)[0]
    file = Path(settings.MEDIA_ROOT) / path
    if file.is_file():
        route.fulfill(
            status=200,
            body=file.read_bytes(),
            content_type=mimetypes.guess_type(file.name)[0] or "application/octet-stream",
        )
    else:
        route.fulfill(status=404, body=b"")


@pytest.fixture
def new_page(browser):
    """new_page(viewport) → a page in a fresh browser context (a phone: touch, mobile)."""
    from django.conf import settings

    contexts = []

    def _new(viewport=PHONE, locale="zh-CN"):
        phone = viewport["width"] < 600
        context = browser.new_context(
            viewport=viewport, locale=locale, is_mobile=phone, has_touch=phone
        )
        context.route(f"**{settings.MEDIA_URL}**", _serve_media)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _new
    for context in contexts:
        context.close()


def shot(page, name: str):
    """A full-page screenshot in test-artifacts/workspace/ (gitignored)."""
    folder = _artifacts()
    folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    path = folder / f"{name}-{size['width']}x{size['height']}.png"
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(path), full_page=True)
    return path
