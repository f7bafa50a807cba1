"""Public pages served from the shared cache.

An anonymous visitor's GET of a brand's page (its home, lists, a workstation, an activity, an
outcome, a member) is kept in the cache under the committee's version
(``workstations.versions``), the page's address, the language and the text size. Every write
that changes what a committee shows bumps its version (and its city's and province's), so the
next visitor gets the page afresh: no resident sees a page from before staff published.
Signed-in visitors, visitors with messages waiting, forms and anything but a plain 200 are
never cached.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from config import replica
from config.views import large_text
from workstations import versions
from workstations.models import Committee

T = TypeVar("T")

PAGE_SECONDS = 24 * 60 * 60
# The committee behind an address is kept a few minutes: a slug changes only by a superuser.
TENANT_SECONDS = 5 * 60


def _anonymous_and_plain(request: HttpRequest) -> bool:
    """A visitor with no session and no messages waiting, asking to read a page."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


# Slugs found, kept in the process too: {slug: (committee id, until)}. A page from the cache then
# costs two calls to the shared cache (the version, the page), not three.
_tenants: dict[str, tuple[int, float]] = {}


def forget_tenants() -> None:
    """Forget the slugs this process found (the tests' ids start again with every test)."""
    _tenants.clear()


def committee_id_for(slug: str) -> int | None:
    """The committee at ``slug`` (None if there is none), through the cache."""
    now = time.monotonic()
    held = _tenants.get(slug)
    if held is not None and held[1] > now:
        return held[0]
    key = f"tenant:{slug}"
    found = cache.get(key)
    if found is None:
        found = Committee.objects.filter(slug=slug).values_list("pk", flat=True).first() or 0
        cache.set(key, found, TENANT_SECONDS)
    if found:
        if len(_tenants) > 10_000:  # addresses are few; never let made-up ones pile up
            _tenants.clear()
        _tenants[slug] = (found, now + TENANT_SECONDS)
    return found or None


def _render_to_keep(render: Callable[[], T], committee_id: int) -> T:
    """``render()`` for a copy to keep: from the primary when the committee changed moments
    ago (the replica may not have the change yet, and the copy would outlive it)."""
    if replica.reading_replica() and versions.changed_within(
        [committee_id], settings.REPLICA_STICKY_SECONDS
    ):
        with replica.primary():
            return render()
    return render()


def _serve(
    request: HttpRequest, key: str, render: Callable[[], HttpResponse], committee_id: int
) -> HttpResponse:
    stored = cache.get(key)
    if stored is not None:
        content, content_type = stored
        response = HttpResponse(content, content_type=content_type)
        response["X-Page-Cache"] = "hit"
        return response
    response = _render_to_keep(render, committee_id)
    if response.status_code == 200 and not response.cookies and not response.streaming:
        if callable(getattr(response, "render", None)):
            response = response.render()
        cache.set(key, (response.content, response["Content-Type"]), PAGE_SECONDS)
        response["X-Page-Cache"] = "miss"
    return response


def fragment(name: str, committee_id: int, render: Callable[[], str]) -> str:
    """A part of a committee's pages, the same at every address that shows it (each page of a
    list, every query string), kept under the committee's version and the language like the
    pages themselves. ``render`` writes it when no copy is kept."""
    version = versions.versions([committee_id])[committee_id]
    key = f"fragment:{committee_id}:{version}:{translation.get_language()}:{name}"
    found = cache.get(key)
    if found is None:
        found = _render_to_keep(render, committee_id)
        cache.set(key, found, PAGE_SECONDS)
    return found


def _key(version_of: int, version: int, request: HttpRequest) -> str:
    address = hashlib.sha1(request.get_full_path().encode()).hexdigest()
    # Large text changes the page's <html> class: a copy per text size, as per language.
    size = "large" if large_text(request) else "normal"
    return f"page:{version_of}:{version}:{translation.get_language()}:{size}:{address}"


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a brand's page from the cache when the visitor is anonymous (see the module)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, committee: str, **kwargs) -> HttpResponse:
        def render() -> HttpResponse:
            return view(request, committee=committee, **kwargs)

        if not _anonymous_and_plain(request):
            return render()
        committee_id = committee_id_for(committee)
        if committee_id is None:
            return render()  # the view's own 404
        version = versions.versions([committee_id])[committee_id]
        return _serve(request, _key(committee_id, version, request), render, committee_id)

    return wrapper


def cached_site_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a page about every brand (the sitemap) from the cache, under the site's version,
    which every committee's bump bumps too."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        def render() -> HttpResponse:
            return view(request, *args, **kwargs)

        if not _anonymous_and_plain(request):
            return render()
        version = versions.versions([versions.SITE])[versions.SITE]
        return _serve(request, _key(versions.SITE, version, request), render, versions.SITE)

    return wrapper
