"""Public pages of members: a member's page and their contact card (委员联心卡).

Only members who serve and sit, today, in a published workstation have a page; their mobile,
ID number, year of birth and login account are never shown.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from consultations.models import Activity
from members.models import Member
from members.selectors import public_members, public_memberships
from outcomes.selectors import public_outcomes
from workstations.models import Committee

from .cache import cached_page
from .tenant import with_committee

LATEST = 10


def _public_member_or_404(committee: Committee, member_id: int) -> Member:
    return get_object_or_404(
        public_members(committee).select_related("sector", "committee"), pk=member_id
    )


def _memberships(member: Member):
    return (
        public_memberships()
        .filter(member=member)
        .select_related("workstation__committee")
        .order_by("role", "workstation__name")
    )


@cached_page
@with_committee
def member_detail(request: HttpRequest, committee: Committee, member: int) -> HttpResponse:
    member = _public_member_or_404(committee, member)
    context = {
        "committee": committee,
        "member": member,
        "memberships": list(_memberships(member)),
        "activities": Activity.objects.published()
        .filter(participants=member)
        .select_related("workstation__committee", "type")[:LATEST],
        "outcomes": public_outcomes().filter(authors=member).select_related("committee")[:LATEST],
    }
    return render(request, "portal/member_detail.html", context)


@cached_page
@with_committee
def member_card(request: HttpRequest, committee: Committee, member: int) -> HttpResponse:
    """A printable contact card with a QR code to the member's page."""
    member = _public_member_or_404(committee, member)
    return render(
        request,
        "portal/member_card.html",
        {"committee": committee, "member": member, "memberships": _memberships(member)},
    )
