"""The committees' brand colours as a stylesheet (``/brands.css``), one rule per committee.

The Content-Security-Policy allows no inline style, so a page cannot set its brand colour in a
``style`` attribute; it puts ``brand-<id>`` on an element instead and links this sheet, which
gives that class ``--brand`` and ``--on-brand`` (the text colour that reads on it).

The sheet is built under the site's version (``workstations.versions.SITE``, bumped by every
committee's change) and linked as ``/brands.css?v=<epoch>.<version>``: a browser keeps it for a
year and fetches it again as soon as anything changes. The epoch is a random word kept in the
cache beside the versions; a flushed cache starts the versions again at 1 but draws a new epoch,
so one address never names two different sheets. Linking a page costs two cache reads and no
query: the sheet is read from the database only when it is asked for.
"""

from __future__ import annotations

import re
import secrets

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from workstations import versions
from workstations.models import Committee

from .templatetags.portal import text_on

EPOCH = "brand-styles-epoch"
# Kept at most this long under one site version, in case a colour is changed by a path that
# does not bump the versions (the shell, a data migration).
SHEET_SECONDS = 60 * 60
# Long enough to count as for ever; the address changes with the content.
YEAR = 365 * 24 * 60 * 60
# Only a colour that can be nothing but a colour reaches the sheet, whatever the database holds.
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def brand_class(committee_id: int) -> str:
    return f"brand-{committee_id}"


def _build() -> str:
    rules = [
        "/* Brand colours of the committees (config/portal/styles.py). */",
        *(
            f".{brand_class(pk)}{{--brand:{colour};--on-brand:{text_on(colour)}}}"
            for pk, colour in Committee.objects.order_by("pk").values_list("pk", "brand_colour")
            if COLOUR.fullmatch(colour or "")
        ),
    ]
    return "\n".join(rules) + "\n"


def sheet_version() -> str:
    """The name of the current sheet: the cache's epoch and the site's version."""
    epoch = cache.get(EPOCH)
    if epoch is None:
        cache.add(EPOCH, secrets.token_hex(4), timeout=None)
        epoch = cache.get(EPOCH, "")
    return f"{epoch}.{versions.versions([versions.SITE])[versions.SITE]}"


def brand_styles_url() -> str:
    """The address of the current sheet, for the ``<link>`` of every page."""
    return f"{reverse('public:brand_styles')}?v={sheet_version()}"


@require_safe
def brand_styles(request: HttpRequest) -> HttpResponse:
    version = sheet_version()
    key = f"brand-styles:{version}"
    css = cache.get(key)
    if css is None:
        css = _build()
        cache.set(key, css, SHEET_SECONDS)
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if request.GET.get("v") == version:
        response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        # An old or a made-up address gets today's sheet, kept only briefly under that name.
        response["Cache-Control"] = "public, max-age=300"
    return response
