"""Staff figures over time: counts by month, rates by quarter, roll-up by county."""

import datetime

import pytest
from django.utils import timezone

from consultations.models import Consultation, PublicMessage
from outcomes import counts, figures_by_period
from outcomes.models import OutcomeEvent
from tests.factories import (
    ActivityFactory,
    ConsultationFactory,
    ConsultationStepFactory,
    OutcomeEventFactory,
    OutcomeFactory,
    PublicMessageFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def test_monthly_counts_fall_in_their_months(hanshan):
    ActivityFactory(workstation=hanshan.workstation, date=D(2025, 3, 31), residents_served=12)
    ActivityFactory(workstation=hanshan.workstation, date=D(2025, 4, 1), residents_served=8)
    ActivityFactory(
        workstation=hanshan.workstation, date=D(2025, 4, 2), status="draft", approved_at=None
    )
    series = figures_by_period.monthly(hanshan.committee, 2025)
    assert series["activities"][2:4] == [1, 1]
    assert series["residents_served"][2:4] == [12, 8]


def test_a_message_at_0030_beijing_counts_in_the_local_month(hanshan):
    message = PublicMessageFactory(workstation=hanshan.workstation)
    PublicMessage.objects.filter(pk=message.pk).update(
        created_at=datetime.datetime(2025, 3, 31, 16, 30, tzinfo=datetime.UTC)  # 1 April, 00:30
    )
    counts.rebuild([hanshan.committee.pk], year=2025)  # the row was changed behind the services
    assert figures_by_period.monthly(hanshan.committee, 2025)["messages"][2:4] == [0, 1]


def test_quarterly_transformation_rate(hanshan):
    done = OutcomeFactory(committee=hanshan.committee, submitted_on=D(2025, 2, 1))
    OutcomeFactory(committee=hanshan.committee, submitted_on=D(2025, 2, 2))
    OutcomeEventFactory(outcome=done, kind=OutcomeEvent.Kind.IMPLEMENTED, date=D(2025, 5, 1))
    rates = figures_by_period.quarterly_rates(hanshan.committee, 2025)
    assert rates["transformation"] == [50.0, None, None, None]


def test_quarterly_recognition_rate(hanshan):
    for rating in (5, 4, 2):
        PublicMessageFactory(
            workstation=hanshan.workstation,
            status="closed",
            rating=rating,
            rated_at=timezone.make_aware(datetime.datetime(2025, 8, 1, 10)),
        )
    assert figures_by_period.quarterly_rates(hanshan.committee, 2025)["recognition"][2] == 66.7


def test_the_city_rolls_up_each_county_separately(hanshan, huimin):
    ActivityFactory(workstation=hanshan.workstation, date=D(2025, 3, 1))
    consultation = ConsultationFactory(workstation=hanshan.workstation, opened_on=D(2025, 1, 1))
    ConsultationStepFactory(
        consultation=consultation, step=Consultation.Step.MEETING, date=D(2025, 2, 1)
    )
    ActivityFactory(workstation=huimin.workstation, date=D(2025, 3, 1))
    rows = figures_by_period.by_committee(hanshan.committee.parent, 2025)
    assert [(c, t["activities"], t["consultations"]) for c, t in rows] == [
        (hanshan.committee, 1, 1)
    ]


def test_the_roll_up_takes_one_query_a_series(hanshan, django_assert_max_num_queries):
    with django_assert_max_num_queries(1 + len(figures_by_period.SERIES)):
        figures_by_period.by_committee(hanshan.committee.parent.parent, 2025)


def test_quarterly_participation_leaves_out_members_whose_term_ended(hanshan):
    ActivityFactory(
        workstation=hanshan.workstation, date=D(2025, 2, 1), participants=[hanshan.member]
    )
    hanshan.convener.is_active = False
    hanshan.convener.save()
    # Sitting and serving: the member and the other workstation's convener; one took part.
    assert figures_by_period.quarterly_rates(hanshan.committee, 2025)["participation"][0] == 50.0
