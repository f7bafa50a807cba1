"""Member points: every point has its record behind it, and the ranking is exact."""

import datetime
from decimal import Decimal

import pytest

from consultations.models import Activity, Consultation
from outcomes import points
from outcomes.models import Endorsement, Outcome, OutcomeEvent, PointRule
from outcomes.services.setup import committee_seed_rhythm
from tests.factories import (
    ActivityFactory,
    ActivityTypeFactory,
    ConsultationFactory,
    ConsultationStepFactory,
    EndorsementFactory,
    MemberFactory,
    OutcomeEventFactory,
    OutcomeFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def rules(hanshan):
    ActivityTypeFactory(committee=hanshan.committee, code="reception", name="接待群众")
    committee_seed_rhythm(committee=hanshan.committee, effective_from=D(2025, 1, 1))
    return hanshan


def test_an_approved_activity_gives_points_to_each_participant(rules):
    ActivityFactory(
        workstation=rules.workstation,
        date=D(2025, 3, 1),
        participants=[rules.member, rules.convener],
    )
    assert points.member_points(rules.member, 2025) == Decimal(2)
    assert points.member_points(rules.convener, 2025) == Decimal(2)


def test_a_type_with_its_own_rule_uses_it(rules):
    reception = rules.committee.activity_types.get(code="reception")
    ActivityFactory(
        workstation=rules.workstation,
        date=D(2025, 3, 1),
        type=reception,
        participants=[rules.member],
    )
    assert points.member_points(rules.member, 2025) == Decimal(3)


def test_a_returned_activity_gives_no_points(rules):
    ActivityFactory(
        workstation=rules.workstation,
        date=D(2025, 3, 1),
        status=Activity.Status.RETURNED,
        approved_at=None,
        participants=[rules.member],
    )
    assert points.member_ledger(rules.member, 2025) == []


def test_an_activity_of_another_year_counts_in_its_own_year(rules):
    ActivityFactory(
        workstation=rules.workstation, date=D(2024, 12, 31), participants=[rules.member]
    )
    assert points.member_points(rules.member, 2025) == 0
    assert points.member_points(rules.member, 2024) == Decimal(2)


def test_two_meetings_of_one_consultation_give_points_once(rules):
    consultation = ConsultationFactory(workstation=rules.workstation, opened_on=D(2025, 1, 2))
    for day in (D(2025, 2, 1), D(2025, 3, 1)):
        step = ConsultationStepFactory(
            consultation=consultation, step=Consultation.Step.MEETING, date=day
        )
        step.members.set([rules.member])
    ledger = points.member_ledger(rules.member, 2025)
    assert [(e.basis, e.date, e.points) for e in ledger] == [
        (PointRule.Basis.CONSULTATION, D(2025, 2, 1), Decimal(3))
    ]


def test_an_outcome_gives_every_author_its_points_and_its_trail(rules):
    outcome = OutcomeFactory(
        committee=rules.committee,
        workstation=rules.workstation,
        submitted_on=D(2025, 4, 1),
        authors=[rules.member, rules.convener],
    )
    OutcomeEventFactory(outcome=outcome, kind=OutcomeEvent.Kind.ADOPTED, date=D(2025, 5, 1))
    OutcomeEventFactory(outcome=outcome, kind=OutcomeEvent.Kind.ADOPTED, date=D(2025, 5, 9))
    EndorsementFactory(outcome=outcome, level=Endorsement.Level.CITY, date=D(2025, 6, 1))
    OutcomeEventFactory(outcome=outcome, kind=OutcomeEvent.Kind.SOLVED, date=D(2025, 9, 1))
    ledger = points.member_ledger(rules.member, 2025)
    assert [(e.basis, e.points) for e in ledger] == [
        (PointRule.Basis.OUTCOME_SUBMITTED, Decimal(3)),
        (PointRule.Basis.OUTCOME_ADOPTED, Decimal(5)),
        (PointRule.Basis.ENDORSEMENT, Decimal(8)),
        (PointRule.Basis.PROBLEM_SOLVED, Decimal(5)),
    ]
    assert points.member_points(rules.convener, 2025) == Decimal(21)


def test_a_draft_outcome_gives_no_points(rules):
    OutcomeFactory(
        committee=rules.committee,
        status=Outcome.Status.DRAFT,
        submitted_on=None,
        authors=[rules.member],
    )
    assert points.member_points(rules.member, 2025) == 0


def test_a_member_who_left_mid_year_keeps_the_points_earned_before(rules):
    ActivityFactory(workstation=rules.workstation, date=D(2025, 3, 1), participants=[rules.member])
    place = rules.member.memberships.get()
    place.until = D(2025, 6, 30)
    place.save()
    assert points.member_points(rules.member, 2025) == Decimal(2)


def test_the_ranking_orders_by_points_and_shares_ranks(rules):
    ActivityFactory(workstation=rules.workstation, date=D(2025, 3, 1), participants=[rules.member])
    ActivityFactory(workstation=rules.workstation, date=D(2025, 3, 2), participants=[rules.member])
    ActivityFactory(
        workstation=rules.workstation,
        date=D(2025, 3, 3),
        participants=[rules.convener, rules.other_member],
    )
    standings = points.ranking(rules.committee, 2025)
    assert [(s.member, s.points, s.rank) for s in standings[:3]] == [
        (rules.member, Decimal(4), 1),
        *sorted(
            [(rules.convener, Decimal(2), 2), (rules.other_member, Decimal(2), 2)],
            key=lambda t: __import__("pypinyin").lazy_pinyin(t[0].name),
        ),
    ]


def test_another_countys_members_are_not_ranked(rules, huimin):
    standings = points.ranking(rules.committee, 2025)
    assert huimin.member not in [s.member for s in standings]


def test_the_ranking_takes_a_bounded_number_of_queries(rules, django_assert_max_num_queries):
    extra = [MemberFactory(committee=rules.committee) for _ in range(40)]
    for day in range(1, 21):
        ActivityFactory(workstation=rules.workstation, date=D(2025, 3, day), participants=extra)
    with django_assert_max_num_queries(10):
        standings = points.ranking(rules.committee, 2025)
    assert standings[0].points == Decimal(40)


def test_one_general_rule_per_basis(rules):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PointRule.objects.create(
            committee=rules.committee, basis=PointRule.Basis.ACTIVITY, points=9
        )
