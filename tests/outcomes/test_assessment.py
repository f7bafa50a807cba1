"""The yearly assessment: weighted scores from the records, adjustments with a reason."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from openpyxl import load_workbook

from config.office.selectors import assessment_table
from consultations.models import PublicMessage
from outcomes import exports
from outcomes.assessment import assessment
from outcomes.models import AssessmentAdjustment, AssessmentCriterion, Requirement
from tests.factories import ActivityFactory, PublicMessageFactory, WorkstationFactory

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


# --- No data yet: not applicable, out of the weights (not 0) ---------------------------------


@pytest.fixture
def rated_county(hanshan):
    AssessmentCriterion.objects.create(
        committee=hanshan.committee, metric=Metric.ACTIVITIES, weight=60
    )
    AssessmentCriterion.objects.create(
        committee=hanshan.committee, metric=Metric.RECOGNITION, weight=40
    )
    for ws in (hanshan.workstation, hanshan.other_workstation):
        ActivityFactory(workstation=ws, date=D(2025, 3, 2))
    for rating in (5, 1):
        PublicMessageFactory(
            workstation=hanshan.workstation,
            status=PublicMessage.Status.CLOSED,
            reply="路灯已修复。",
            rating=rating,
            rated_at=timezone.make_aware(datetime.datetime(2025, 4, 1, 10)),
        )
    return hanshan


def test_a_room_nobody_has_rated_is_not_applicable_and_its_weight_goes_to_the_others(
    rated_county,
):
    scores = _by_ws(assessment(rated_county.committee, 2025, today=D(2026, 1, 15)))
    rated, unrated = scores[rated_county.workstation], scores[rated_county.other_workstation]
    # Rated: 60 for the activities, half of 40 for one good rating out of two.
    assert rated.not_applicable == set()
    assert rated.parts == {Metric.ACTIVITIES: Decimal("60.00"), Metric.RECOGNITION: 20}
    # Not rated yet: not a 0% — the activities alone weigh all 100.
    assert unrated.not_applicable == {Metric.RECOGNITION}
    assert Metric.RECOGNITION not in unrated.parts and Metric.RECOGNITION not in unrated.values
    assert unrated.parts == {Metric.ACTIVITIES: Decimal("100.00")}
    assert unrated.computed == Decimal("100.00")


def test_a_rhythm_with_no_closed_period_yet_is_not_applicable(county):
    ActivityFactory(workstation=county.workstation, date=D(2025, 1, 2))
    scores = _by_ws(assessment(county.committee, 2025, today=D(2025, 1, 20)))
    score = scores[county.workstation]
    assert score.not_applicable == {Metric.RHYTHM}
    assert score.computed == Decimal("100.00")
    # Nothing to score at all: no part, and 0 — not a division by zero.
    assert scores[county.other_workstation].computed == Decimal("0.00")


def test_the_table_marks_a_criterion_not_applicable_apart_from_one_not_weighed(rated_county):
    scores = assessment(rated_county.committee, 2025, today=D(2026, 1, 15))
    metrics, rows = assessment_table(scores, {Metric.ACTIVITIES: 60, Metric.RECOGNITION: 40})
    assert [key for key, *_ in metrics] == [Metric.ACTIVITIES, Metric.RECOGNITION]
    by_ws = {row.score.workstation: row.parts for row in rows}
    assert by_ws[rated_county.other_workstation][1] == (None, "", True)
    assert by_ws[rated_county.workstation][1] == (Decimal("20.00"), "50%", False)


def test_the_workbook_says_not_applicable_rather_than_0_percent(county):
    ActivityFactory(workstation=county.workstation, date=D(2025, 1, 2))
    with translation.override("en"):
        workbook = exports.yearly_statistics(county.committee, 2025, today=D(2025, 1, 20))
    sheet = load_workbook(io.BytesIO(workbook)).worksheets[1]
    header = next(
        row for row in sheet.iter_rows(values_only=True) if "Share of rhythm periods met" in row
    )
    column = header.index("Share of rhythm periods met")
    cells = [
        row[column]
        for row in sheet.iter_rows(values_only=True)
        if row[2] == county.workstation.name
    ]
    assert cells == ["Not applicable"]
