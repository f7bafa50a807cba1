"""The yearly assessment: weighted scores from the records, adjustments with a reason."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from outcomes.assessment import assessment
from outcomes.models import AssessmentAdjustment, AssessmentCriterion, Requirement
from tests.factories import ActivityFactory, WorkstationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
Metric = AssessmentCriterion.Metric


@pytest.fixture
def county(hanshan):
    AssessmentCriterion.objects.create(
        committee=hanshan.committee, metric=Metric.ACTIVITIES, weight=60
    )
    AssessmentCriterion.objects.create(committee=hanshan.committee, metric=Metric.RHYTHM, weight=40)
    Requirement.objects.create(
        committee=hanshan.committee,
        name="一月一活动",
        period=Requirement.Period.MONTH,
        counts=Requirement.Counts.ACTIVITY,
        effective_from=D(2025, 1, 1),
    )
    return hanshan


def _by_ws(scores):
    return {s.workstation: s for s in scores}


def test_counts_are_scaled_to_the_best_workstation(county):
    for month in range(1, 13):
        ActivityFactory(workstation=county.workstation, date=D(2025, month, 2))
    for month in range(1, 7):
        ActivityFactory(workstation=county.other_workstation, date=D(2025, month, 2))
    scores = _by_ws(assessment(county.committee, 2025, today=D(2026, 1, 15)))
    assert scores[county.workstation].parts[Metric.ACTIVITIES] == Decimal("60.00")
    assert scores[county.other_workstation].parts[Metric.ACTIVITIES] == Decimal("30.00")


def test_the_rhythm_share_counts_closed_periods_met(county):
    for month in range(1, 7):
        ActivityFactory(workstation=county.other_workstation, date=D(2025, month, 2))
    scores = _by_ws(assessment(county.committee, 2025, today=D(2026, 1, 15)))
    assert scores[county.other_workstation].values[Metric.RHYTHM] == Decimal(6) / Decimal(12)
    assert scores[county.other_workstation].parts[Metric.RHYTHM] == Decimal("20.00")


def test_the_ranking_puts_the_best_first(county):
    ActivityFactory(workstation=county.workstation, date=D(2025, 3, 2))
    scores = assessment(county.committee, 2025, today=D(2026, 1, 15))
    assert scores[0].workstation == county.workstation
    assert [s.rank for s in scores] == [1, 2]


def test_an_adjustment_moves_a_workstation_in_the_ranking(county):
    ActivityFactory(workstation=county.workstation, date=D(2025, 3, 2))
    AssessmentAdjustment.objects.create(
        workstation=county.other_workstation,
        year=2025,
        points=Decimal("80"),
        reason="承办全市现场会，经主席会议研究加分。",
    )
    scores = assessment(county.committee, 2025, today=D(2026, 1, 15))
    assert scores[0].workstation == county.other_workstation
    assert scores[0].computed == Decimal("0.00")
    assert scores[0].total == Decimal("80.00")


def test_an_adjustment_needs_a_written_reason(county):
    adjustment = AssessmentAdjustment(
        workstation=county.workstation, year=2025, points=5, reason=" "
    )
    with pytest.raises(ValidationError):
        adjustment.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentAdjustment.objects.create(
            workstation=county.workstation, year=2025, points=5, reason=""
        )


def test_the_assessment_takes_a_bounded_number_of_queries(county, django_assert_max_num_queries):
    stations = [
        WorkstationFactory(committee=county.committee, area=county.workstation.area)
        for _ in range(30)
    ]
    for ws in stations:
        ActivityFactory(workstation=ws, date=D(2025, 5, 5))
    with django_assert_max_num_queries(16):
        scores = assessment(county.committee, 2025, today=D(2026, 1, 15))
    assert len(scores) == 32
