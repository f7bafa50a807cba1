"""What the browser tests share: the system Chromium, the phone and the laptop, screenshots.

Browser tests run in headless Chromium (Playwright) against pytest-django's live server. They
use the system Chromium at /usr/bin/chromium (.ci/browser-setup installs it, with the CJK fonts)
and are skipped, with the reason, when it is absent. The fixtures (``new_page``) are in
``tests/conftest.py``; every test that uses a browser carries the ``browser`` marker.
"""

from __future__ import annotations

import functools
import mimetypes
from pathlib import Path

from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# The flags the machine needs: no sandbox as root, and no calls to Google's hosts, which a
# closed network refuses one by one.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def artifacts(folder: str) -> Path:
    """Where a group of tests leaves its screenshots (test-artifacts/, gitignored)."""
    path = Path(settings.BASE_DIR) / "test-artifacts" / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


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


def shot(
    page, name: str, *, folder: str = "screens", full_page: bool = True, audit: bool = True
) -> Path:
    """A screenshot of the page as a person would see it, after scrolling through it once so
    that lazy images have loaded; then axe-core audits the page in that state (an error on a
    form, a message after saving), failing the test on a critical or serious violation."""
    size = page.viewport_size
    path = artifacts(folder) / f"{name}-{size['width']}x{size['height']}.png"
    page.evaluate(
        "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
        " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 30)); }"
        " window.scrollTo(0, 0); }"
    )
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(path), full_page=full_page)
    if audit:
        assert_accessible(page)
    return path


# --- Accessibility -----------------------------------------------------------------------------

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
# The impacts that fail a test; axe's "moderate" and "minor" are reported by its own tools.
BLOCKING = ("critical", "serious")

_AXE_RUN = """async (blocking) => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => blocking.includes(v.impact))
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ") + ": " + n.failureSummary),
    }));
}"""


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def accessibility_violations(page) -> list[dict]:
    """axe-core's critical and serious violations on the page as it stands. axe is our own copy
    (static/vendor/axe-core/), read from disk and run through the browser's developer protocol,
    so that it loads on a page without network too (the offline tests)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(_AXE_RUN, list(BLOCKING))


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        lines.extend(f"      {node}" for node in v["nodes"])
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fails, naming each element, when axe finds a critical or serious violation."""
    violations = accessibility_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"
