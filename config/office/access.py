"""Who may open the office pages, and the committee they are about.

The office pages (/office/<committee>/…) are for staff. The committee is resolved once per
request from the address, through what the account may see (``Committee.objects.visible_to``):
a city's staff open their counties' pages, a county's staff only their own. Anonymous → the
sign-in page; an account that is not staff, or a committee it cannot see (another county, an
address that does not exist) → 404, so that nothing is learnt by trying addresses. Inside the
committee, a missing right is a 403: adjusting the assessment needs the right to add
adjustments (readers have none), a download needs the role's export right.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header

from workstations.models import Committee
from workstations.tenancy import committee_of_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_office_user(user) -> bool:
    return user.is_active and user.is_staff


def get_committee_for_user(user, slug: str) -> Committee:
    """The committee at ``slug`` if the account may see it, else 404."""
    if not is_office_user(user):
        raise Http404
    own = committee_of_user(user)
    if own is not None and own.slug == slug:
        return own  # already read with the account, its subtree too
    return get_object_or_404(Committee.objects.visible_to(user).select_related("parent"), slug=slug)


def may_adjust(user) -> bool:
    """Whether the account may adjust the yearly assessment (not a reader)."""
    return user.has_perm("outcomes.add_assessmentadjustment")


def may_export(user) -> bool:
    """Whether the account may download workbooks: the role's export right, or a superuser."""
    if user.is_active and user.is_superuser:
        return True
    role = getattr(user, "staff_role", None)
    return role is not None and role.can_export


def office_view(view: Callable) -> Callable:
    """Sign-in required; the committee of the address, or 404. The view is called with the
    committee in place of its slug; ``request.committee`` holds it for the templates."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, committee: str, *args, **kwargs) -> HttpResponse:
        request.committee = get_committee_for_user(request.user, committee)
        # The header's switcher, for an account that sees several committees.
        request.office_committees = SimpleLazyObject(
            lambda: switcher_committees(request.user, request.committee)
        )
        return view(request, request.committee, *args, **kwargs)

    return wrapper


def switcher_committees(user, committee: Committee) -> list[Committee]:
    """What the header's switcher offers from ``committee``: the committees above it, the one
    beside it and those right below it that the account may see — a step up or down the tree
    at a time, so that a province's three hundred counties are never one list (each is a step
    below its city)."""
    near = Q(pk=committee.pk) | Q(parent_id=committee.pk)
    if committee.parent_id is not None:
        near |= Q(pk=committee.parent_id) | Q(parent_id=committee.parent_id)
        near |= Q(children__pk=committee.parent_id)  # the one above the parent
    near = Committee.objects.visible_to(user).filter(near).distinct()
    return sorted(
        near.only("pk", "slug", "name", "level"),
        key=lambda c: (Committee.LEVEL_RANK[c.level], c.name),
    )


def export_view(view: Callable) -> Callable:
    """An office view that answers with a workbook: also needs the export right (else 403)."""

    @office_view
    @wraps(view)
    def wrapper(request: HttpRequest, committee: Committee, *args, **kwargs) -> HttpResponse:
        if not may_export(request.user):
            raise PermissionDenied
        return view(request, committee, *args, **kwargs)

    return wrapper


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
