"""The tenant of a public page: the committee named by the first part of the address.

It is resolved once, by ``with_committee``, and every query of the page goes through it: an
object of another committee under this committee's address is a 404, exactly like an unknown
one. This is the one place the portal turns an address into a committee.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from workstations.models import Committee, Workstation


def committee_or_404(slug: str) -> Committee:
    """The committee at ``slug`` (any level), or 404."""
    return get_object_or_404(Committee.objects.select_related("parent"), slug=slug)


def with_committee(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the ``committee`` slug of the address to the tenant (404 if unknown) and pass the
    committee to the view in its place; ``request.committee`` holds it for the templates."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, committee: str, **kwargs) -> HttpResponse:
        tenant = committee_or_404(committee)
        request.committee = tenant
        return view(request, tenant, **kwargs)

    return wrapper


def published_workstation_or_404(committee: Committee, slug: str) -> Workstation:
    """A published workstation of ``committee`` itself: workstation addresses are unique per
    committee, so a city's address does not reach into its counties."""
    return get_object_or_404(
        Workstation.objects.published()
        .for_committee(committee, subtree=False)
        .select_related("committee", "area__parent", "sector"),
        slug=slug,
    )
