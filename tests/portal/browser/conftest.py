"""Browser tests in headless Chromium (Playwright) against pytest-django's live server.

They use the system Chromium at /usr/bin/chromium (.ci/browser-setup installs it) and are
skipped, with the reason, when it is absent. Playwright's sync API runs an event loop in the
test's thread, so Django's guard against database calls from async code is switched off here.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "screens"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is absent: run .ci/browser-setup to install it")
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
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


def serve_media(route):
    """The live server does not serve uploads (DEBUG is off in tests): answer from MEDIA_ROOT."""
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
    """new_page(viewport) → a page in a fresh context; phones get touch and a mobile UA."""
    contexts = []

    def _new(viewport: dict, locale: str = "zh-CN"):
        phone = viewport["width"] < 600
        context = browser.new_context(
            viewport=viewport,
            locale=locale,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=1,
        )
        context.route(f"**{settings.MEDIA_URL}**", serve_media)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _new
    for context in contexts:
        context.close()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    path = ARTIFACTS / f"{name}-{size['width']}x{size['height']}.png"
    # Lazy images load only when scrolled to: scroll through the page first.
    page.evaluate(
        "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
        " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 30)); }"
        " window.scrollTo(0, 0); }"
    )
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(path), full_page=True)
    return path
