"""Reads about members that the public pages share.

A member has a public page only while they serve (``is_active``) and sit, today, in a published
workstation. Everything else about a member who does not is kept off the public pages.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from workstations.models import Committee

from .models import Member, MemberQuerySet, Membership, MembershipQuerySet


def public_memberships() -> MembershipQuerySet:
    """Places in force today, of serving members, in published workstations."""
    return Membership.objects.active().filter(
        workstation__is_published=True, member__is_active=True
    )


def has_public_page() -> Q:
    """A condition on members: true for a member whose public page may be shown."""
    return Q(is_active=True) & Q(Exists(public_memberships().filter(member=OuterRef("pk"))))


def public_members(committee: Committee) -> MemberQuerySet:
    """Members of ``committee`` itself (not its subtree: a member's page lives under their own
    committee's address) who have a public page."""
    return Member.objects.for_committee(committee, subtree=False).filter(has_public_page())


def with_public_flag(queryset: MemberQuerySet) -> MemberQuerySet:
    """Annotate ``has_public_page`` so that a template links only to pages that exist."""
    return queryset.annotate(
        has_public_page=Exists(public_memberships().filter(member=OuterRef("pk")))
    )
