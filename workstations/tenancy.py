"""The tenant: which committees a user may see, and querysets that filter through it.

A staff account works for one committee (``members.StaffRole``) and sees that committee and
every committee below it. Superusers see everything. Everyone else sees no committee at all.
Every tenant-owned model gets a queryset class deriving from ``TenantQuerySet`` naming the path
from the model to its committee, so that views and the admin ask the same question the same way.

A committee's subtree is resolved once (per committee object, so once per request for the
request's committee) to a list of committee ids, and every tenant filter is an index-friendly
``committee_id IN (…)``: a province of 300 counties is one list, not three joined ORs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from .models import Committee

# Province → city → county: a committee sits at most two levels below another one.
MAX_TREE_DEPTH = 2


def subtree_q(committee_id: int, prefix: str = "") -> Q:
    """Q matching the committee ``committee_id`` and every committee below it (on the committee
    table itself; everything else filters by ``subtree_ids``)."""
    q = Q(**{f"{prefix}pk": committee_id})
    path = "parent"
    for _depth in range(MAX_TREE_DEPTH):
        q |= Q(**{f"{prefix}{path}_id": committee_id})
        path += "__parent"
    return q


class MostCommittees(list):
    """The ids of a subtree that holds most committees of the site (a province running the site
    for its counties, beside a few committees of another one), and in ``outside`` the others.

    ``in_committees`` filters by the few outside (``committee_id NOT IN (…)``, or nothing): a list
    of 300 ids in a filter matches an index that PostgreSQL would walk for nearly every row,
    instead of planning the page by its other conditions (a search's index, a list's order).
    """

    def __init__(self, inside=(), outside=()):
        super().__init__(inside)
        self.outside = list(outside)


def subtree_ids(committee: Committee) -> list[int]:
    """Ids of ``committee`` and every committee below it, read once per committee object (a
    ``MostCommittees`` when they are most of the committees there are)."""
    ids = getattr(committee, "_subtree_ids", None)
    if ids is None:
        from .models import Committee

        if committee.parent_id is None:
            # A root: every committee, each marked inside or not, in the same one query.
            rows = list(
                Committee.objects.annotate(
                    inside=ExpressionWrapper(subtree_q(committee.pk), output_field=BooleanField())
                ).values_list("pk", "inside")
            )
            inside = sorted(pk for pk, is_inside in rows if is_inside)
            outside = sorted(pk for pk, is_inside in rows if not is_inside)
            ids = MostCommittees(inside, outside) if len(outside) < len(inside) else inside
        else:
            ids = sorted(
                Committee.objects.filter(subtree_q(committee.pk)).values_list("pk", flat=True)
            )
        committee._subtree_ids = ids
    return ids


# A county's (or a small city's) workstations are named by their ids up to this many.
WORKSTATIONS_NAMED_AT_MOST = 1000


def few_workstation_ids(committee_ids) -> list[int] | None:
    """The ids of these committees' workstations, or None when there are more than
    ``WORKSTATIONS_NAMED_AT_MOST``.

    A search among a county's records that names its workstations lets PostgreSQL read the
    county's records by the workstation index and check the search on them, instead of walking
    a province's records newest first for the few of the county that match (10× faster for a
    county of 320 workstations). A province's 9,000 workstations are left to the join.
    """
    from .models import Workstation

    workstations = Workstation.objects.filter(committee_id__in=list(committee_ids)).order_by()
    ids = list(workstations.values_list("pk", flat=True)[: WORKSTATIONS_NAMED_AT_MOST + 1])
    return None if len(ids) > WORKSTATIONS_NAMED_AT_MOST else ids


def visible_workstation_ids(user) -> list[int] | None:
    """``few_workstation_ids`` of the committees ``user`` may see, read once per user object
    (so once per request); None for a superuser or past ``WORKSTATIONS_NAMED_AT_MOST``."""
    if not hasattr(user, "_visible_workstation_ids"):
        ids = visible_committee_ids(user)
        user._visible_workstation_ids = None if ids is None else few_workstation_ids(ids)
    return user._visible_workstation_ids


def committee_of_user(user: AbstractBaseUser | AnonymousUser) -> Committee | None:
    """The committee a staff account works for, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    role = getattr(user, "staff_role", None)  # reverse one-to-one from members.StaffRole
    return role.committee if role is not None else None


def visible_committee_ids(user) -> list[int] | None:
    """Ids of the committees ``user`` may see, read once per user object (so once per
    request); None for a superuser, who sees everything; [] for anyone without a committee."""
    if not hasattr(user, "_visible_committee_ids"):
        if getattr(user, "is_superuser", False) and user.is_active:
            ids = None
        else:
            committee = committee_of_user(user)
            ids = [] if committee is None or not user.is_active else subtree_ids(committee)
        user._visible_committee_ids = ids
    return user._visible_committee_ids


def _path_is_required(model, path: str) -> bool:
    """Whether every row of ``model`` has a committee through ``path`` (no nullable link)."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.null:
            return False
        model = field.related_model
    return True


class CommitteeQuerySet(models.QuerySet):
    def subtree(self, committee: Committee) -> CommitteeQuerySet:
        """The committee and every committee below it."""
        return self.filter(pk__in=subtree_ids(committee))

    def visible_to(self, user) -> CommitteeQuerySet:
        ids = visible_committee_ids(user)
        return self.all() if ids is None else self.filter(pk__in=ids)

    def with_brand(self) -> CommitteeQuerySet:
        return self.exclude(brand_name="")


class TenantQuerySet(models.QuerySet):
    """A queryset of objects that belong to a committee through ``committee_path``."""

    committee_path: str = "committee"

    def in_committees(self, ids) -> TenantQuerySet:
        """Objects of the committees ``ids``: ``<path>_id IN (…)``, or, when ``ids`` are
        ``MostCommittees``, the objects of any committee but those outside."""
        field = f"{self.committee_path}_id"
        if not isinstance(ids, MostCommittees):
            return self.filter(**{f"{field}__in": list(ids)})
        queryset = self.exclude(**{f"{field}__in": ids.outside}) if ids.outside else self.all()
        if _path_is_required(self.model, self.committee_path):
            return queryset
        return queryset.filter(**{f"{field}__isnull": False})

    def for_committee(self, committee: Committee, *, subtree: bool = True) -> TenantQuerySet:
        """Objects of ``committee`` (and, by default, of the committees below it)."""
        if subtree:
            return self.in_committees(subtree_ids(committee))
        return self.filter(**{f"{self.committee_path}_id": committee.pk})

    def visible_to(self, user) -> TenantQuerySet:
        """What a user may see in the back office: their committee's subtree, all for superusers."""
        ids = visible_committee_ids(user)
        return self.all() if ids is None else self.in_committees(ids)
