"""Admin fixtures: a full set of records of every admin-registered model in both counties."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest

from members.models import StaffRole
from tests.factories import (
    ActivityFactory,
    ActivityTypeFactory,
    AreaFactory,
    CommitteeFactory,
    ConsultationFactory,
    ConsultationStepFactory,
    EndorsementFactory,
    MemberFactory,
    MembershipFactory,
    OutcomeEventFactory,
    OutcomeFactory,
    PublicMessageFactory,
    SectorFactory,
    StaffRoleFactory,
    StandardCheckFactory,
    StandardFactory,
    WorkstationFactory,
)
from workstations.models import Committee

_numbers = itertools.count(1)


def _activity_type(ns):
    n = next(_numbers)
    return ActivityTypeFactory(committee=ns.committee, code=f"type{n}", name=f"活动类型{n}")


def _consultation(ns):
    consultation = ConsultationFactory(workstation=ns.workstation, opened_by=ns.member)
    ConsultationStepFactory(consultation=consultation).members.set([ns.member])
    return consultation


def _outcome(ns):
    outcome = OutcomeFactory(
        committee=ns.committee, workstation=ns.workstation, authors=[ns.member]
    )
    OutcomeEventFactory(outcome=outcome)
    return outcome


# "app_label.model_name" of every admin → how to make one more row of it in a county.
MAKERS = {
    "workstations.committee": lambda ns: CommitteeFactory(
        level=Committee.Level.COUNTY, parent=ns.committee.parent
    ),
    "workstations.area": lambda ns: AreaFactory(committee=ns.committee),
    "workstations.sector": lambda ns: SectorFactory(committee=ns.committee),
    "workstations.standard": lambda ns: StandardFactory(committee=ns.committee),
    "workstations.standardcheck": lambda ns: StandardCheckFactory(workstation=ns.workstation),
    "workstations.workstation": lambda ns: WorkstationFactory(committee=ns.committee),
    "members.member": lambda ns: MemberFactory(committee=ns.committee),
    "members.membership": lambda ns: MembershipFactory(
        member=MemberFactory(committee=ns.committee), workstation=ns.workstation
    ),
    "members.staffrole": lambda ns: StaffRoleFactory(
        committee=ns.committee, role=StaffRole.Role.CLERK
    ),
    "consultations.activitytype": _activity_type,
    "consultations.activity": lambda ns: ActivityFactory(
        workstation=ns.workstation, author=ns.member, participants=[ns.member]
    ),
    "consultations.consultation": _consultation,
    "consultations.publicmessage": lambda ns: PublicMessageFactory(workstation=ns.workstation),
    "outcomes.outcome": _outcome,
    "outcomes.endorsement": lambda ns: EndorsementFactory(outcome=_outcome(ns)),
}
ADMIN_MODELS = list(MAKERS)


def _populate(ns: SimpleNamespace) -> SimpleNamespace:
    """One record of every admin model in the county, reachable as ns.objects[label]."""
    existing = {
        "workstations.committee": ns.committee,
        "workstations.workstation": ns.workstation,
        "members.member": ns.member,
        "members.membership": ns.member.memberships.get(),
        "members.staffrole": ns.staff.staff_role,
    }
    ns.objects = {
        label: existing[label] if label in existing else make(ns) for label, make in MAKERS.items()
    }
    return ns


@pytest.fixture
def counties(hanshan, huimin) -> SimpleNamespace:
    """含山 and 惠民, each with a record of every model the back office lists."""
    return SimpleNamespace(hanshan=_populate(hanshan), huimin=_populate(huimin))
