"""The workspace as an app on the phone's home screen: its web app manifest and its service
worker (``templates/me/sw.js``), which keeps the workspace's shell for when there is no signal.

Both are public: a browser fetches the manifest without the member's cookies, and the worker
holds nothing of the member's until a signed-in page passes through it.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOUR = "#b71c1c"
# What the workspace needs to open with no signal, besides the pages themselves.
SHELL = [
    "css/portal.css",
    "css/member.css",
    "js/portal.js",
    "js/member.js",
    "img/favicon.svg",
    "img/app-icon-192.png",
    "img/app-icon-512.png",
]


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": _("Shangliang · Member workspace"),
        "short_name": _("Shangliang"),
        "start_url": reverse("me:desk"),
        "scope": reverse("me:desk"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {
                "src": static(f"img/app-icon-{side}.png"),
                "sizes": f"{side}x{side}",
                "type": "image/png",
            }
            for side in (192, 512)
        ],
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker, from the workspace's own address so that its scope is the workspace. Its
    version follows the shell's addresses, which change with every deploy of a static file."""
    shell = [static(name) for name in SHELL]
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]
    response = render(
        request,
        "me/sw.js",
        {"shell": shell, "version": version, "desk": reverse("me:desk")},
        content_type="application/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = reverse("me:desk")
    return response
