"""Who may do what in the member workspace.

The workspace belongs to members: a signed-in account without a serving member on the register
(office staff, say) gets a 403 page that points staff to their back office. Inside it, every
object is looked up through the member: another member's activity, a workstation the member does
not sit in, or one a convener does not convene is a 404, the same as an object that does not
exist, so that nothing about other people's work can be learnt by trying addresses.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from members.models import Member, Membership
from workstations.models import Workstation


def member_of(user) -> Member | None:
    """The serving member whose login account this is, or None."""
    member = getattr(user, "member", None)  # reverse one-to-one; missing → None
    if member is None or not member.is_active:
        return None
    return member


def member_required(view):
    """Sign-in required (anonymous → the sign-in page), and a serving member (else 403).

    Sets ``request.member``.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        member = member_of(request.user)
        if member is None:
            return render(request, "me/no_member.html", status=403)
        request.member = member
        return view(request, *args, **kwargs)

    return wrapper


def my_workstations(member: Member):
    """The workstations the member sits in today (any role)."""
    return (
        Workstation.objects.for_committee(member.committee, subtree=False)
        .filter(memberships__in=Membership.objects.active().filter(member=member))
        .distinct()
    )


def convened_workstations(member: Member):
    """The workstations the member convenes today. One place to widen, e.g. to deputies."""
    return (
        Workstation.objects.for_committee(member.committee, subtree=False)
        .filter(memberships__in=Membership.objects.active().conveners().filter(member=member))
        .distinct()
    )


def is_convener_of(member: Member, workstation: Workstation) -> bool:
    return convened_workstations(member).filter(pk=workstation.pk).exists()


def get_workstation_for_member(member: Member, pk: int) -> Workstation:
    """A workstation the member sits in, or 404."""
    return get_object_or_404(my_workstations(member), pk=pk)


def get_workstation_for_convener(member: Member, pk: int) -> Workstation:
    """A workstation the member convenes, or 404."""
    return get_object_or_404(convened_workstations(member), pk=pk)
