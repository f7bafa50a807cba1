"""The tenant: which committees a user may see, and querysets that filter through it.

A staff account works for one committee (``members.StaffRole``) and sees that committee and
every committee below it. Superusers see everything. Everyone else sees no committee at all.
Every tenant-owned model gets a queryset class deriving from ``TenantQuerySet`` naming the path
from the model to its committee, so that views and the admin ask the same question the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from .models import Committee

# Province → city → county: a committee sits at most two levels below another one.
MAX_TREE_DEPTH = 2


def subtree_q(committee_id: int, prefix: str = "") -> Q:
    """Q matching the committee ``committee_id`` and every committee below it."""
    q = Q(**{f"{prefix}pk": committee_id})
    path = "parent"
    for _depth in range(MAX_TREE_DEPTH):
        q |= Q(**{f"{prefix}{path}_id": committee_id})
        path += "__parent"
    return q


def committee_of_user(user: AbstractBaseUser | AnonymousUser) -> Committee | None:
    """The committee a staff account works for, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    role = getattr(user, "staff_role", None)  # reverse one-to-one from members.StaffRole
    return role.committee if role is not None else None


class CommitteeQuerySet(models.QuerySet):
    def subtree(self, committee: Committee) -> CommitteeQuerySet:
        """The committee and every committee below it."""
        return self.filter(subtree_q(committee.pk))

    def visible_to(self, user) -> CommitteeQuerySet:
        if getattr(user, "is_superuser", False) and user.is_active:
            return self.all()
        committee = committee_of_user(user)
        if committee is None or not user.is_active:
            return self.none()
        return self.subtree(committee)

    def with_brand(self) -> CommitteeQuerySet:
        return self.exclude(brand_name="")


class TenantQuerySet(models.QuerySet):
    """A queryset of objects that belong to a committee through ``committee_path``."""

    committee_path: str = "committee"

    def for_committee(self, committee: Committee, *, subtree: bool = True) -> TenantQuerySet:
        """Objects of ``committee`` (and, by default, of the committees below it)."""
        if subtree:
            return self.filter(subtree_q(committee.pk, prefix=f"{self.committee_path}__"))
        return self.filter(**{self.committee_path: committee})

    def visible_to(self, user) -> TenantQuerySet:
        """What a user may see in the back office: their committee's subtree, all for superusers."""
        if getattr(user, "is_superuser", False) and user.is_active:
            return self.all()
        committee = committee_of_user(user)
        if committee is None or not user.is_active:
            return self.none()
        return self.for_committee(committee)
