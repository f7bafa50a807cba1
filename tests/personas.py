"""The personas every test shares: what a county's people are, and who a permission matrix asks
about. The fixtures that build them are in ``tests/conftest.py``."""

from __future__ import annotations

from types import SimpleNamespace

from consultations.models import ActivityType
from consultations.services.setup import committee_seed_activity_types
from members.models import Membership

from .factories import MemberFactory, MembershipFactory, UserFactory


def add_workspace_personas(ns: SimpleNamespace) -> SimpleNamespace:
    """Add to a county's personas ``peer`` (a second resident member of the same workstation),
    ``far`` (a resident member of the other workstation, convened by ``other_member``) and the
    usual activity types (``activity_type``: 微宣讲)."""
    prefix = ns.staff.username.removesuffix("_office")
    committee_seed_activity_types(committee=ns.committee)
    ns.peer = MemberFactory(
        committee=ns.committee,
        name=f"{prefix}同室委员",
        user=UserFactory(username=f"{prefix}_peer"),
    )
    MembershipFactory(member=ns.peer, workstation=ns.workstation)
    ns.far = MemberFactory(
        committee=ns.committee, name=f"{prefix}别室委员", user=UserFactory(username=f"{prefix}_far")
    )
    MembershipFactory(
        member=ns.far, workstation=ns.other_workstation, role=Membership.Role.RESIDENT
    )
    ns.activity_type = ActivityType.objects.get(committee=ns.committee, code="micro_lecture")
    return ns


# Who a permission matrix asks about, by name (``world.users``).
PERSONAS = (
    "anonymous",  # the public
    "member",  # a resident member of 含山's first workstation, author of the records below
    "peer",  # another member of the same workstation
    "far",  # a member of 含山's other workstation
    "convener",  # convener of the first workstation
    "other_convener",  # convener of 含山's other workstation
    "staff",  # office staff of 含山
    "reader",  # 含山 staff who may only read, neither import nor export
    "city_staff",  # office staff of 马鞍山, the city above 含山
    "other_county_staff",  # office staff of 惠民
    "other_county_member",  # a member in 惠民
    "superuser",
)
