"""The rhythm board is exact on crafted data (all in 2025, judged as of a fixed day)."""

import datetime

import pytest
from django.utils import timezone

from consultations.models import Activity, Consultation
from members.models import Membership
from outcomes import rhythm
from outcomes.models import Outcome, Requirement
from outcomes.services.rhythm import requirement_change
from tests.factories import (
    ActivityFactory,
    ActivityTypeFactory,
    ConsultationFactory,
    ConsultationStepFactory,
    MemberFactory,
    MembershipFactory,
    OutcomeFactory,
    WorkstationFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = 2025
TODAY = D(2025, 7, 15)


def _requirement(committee, **kwargs) -> Requirement:
    values = {
        "name": "一月一活动",
        "period": Requirement.Period.MONTH,
        "counts": Requirement.Counts.ACTIVITY,
        "effective_from": D(2025, 1, 1),
    }
    values.update(kwargs)
    return Requirement.objects.create(committee=committee, **values)


def _state(board, requirement, workstation, day):
    period = rhythm.period_containing(requirement.period, day)
    return board.cell(requirement, workstation, period).state


def test_an_empty_closed_month_is_behind(hanshan):
    monthly = _requirement(hanshan.committee)
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=TODAY)
    assert _state(board, monthly, hanshan.workstation, D(2025, 3, 1)) == rhythm.BEHIND


def test_a_month_with_an_approved_activity_is_met(hanshan):
    monthly = _requirement(hanshan.committee)
    ActivityFactory(workstation=hanshan.workstation, date=D(2025, 3, 10))
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=TODAY)
    assert _state(board, monthly, hanshan.workstation, D(2025, 3, 1)) == rhythm.MET
    assert (
        board.cell(
            monthly, hanshan.workstation, rhythm.period_containing("month", D(2025, 3, 1))
        ).count
        == 1
    )


def test_the_running_month_is_not_yet_due(hanshan):
    monthly = _requirement(hanshan.committee)
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=TODAY)
    assert _state(board, monthly, hanshan.workstation, TODAY) == rhythm.NOT_DUE
    assert _state(board, monthly, hanshan.workstation, D(2025, 12, 1)) == rhythm.NOT_DUE


def test_a_returned_activity_does_not_count(hanshan):
    monthly = _requirement(hanshan.committee)
    ActivityFactory(
        workstation=hanshan.workstation,
        date=D(2025, 3, 10),
        status=Activity.Status.RETURNED,
        approved_at=None,
    )
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=TODAY)
    assert _state(board, monthly, hanshan.workstation, D(2025, 3, 1)) == rhythm.BEHIND


def test_a_meeting_at_2330_beijing_on_the_last_day_of_a_quarter_counts_in_that_quarter(hanshan):
    quarterly = _requirement(
        hanshan.committee,
        name="一季一议事",
        period=Requirement.Period.QUARTER,
        counts=Requirement.Counts.CONSULTATION,
    )
    # 23:30 in Beijing on 31 March is 15:30 UTC: the local date is what is recorded.
    moment = datetime.datetime(2025, 3, 31, 15, 30, tzinfo=datetime.UTC)
    day = timezone.localdate(moment)
    consultation = ConsultationFactory(workstation=hanshan.workstation, opened_on=D(2025, 2, 1))
    ConsultationStepFactory(consultation=consultation, step=Consultation.Step.MEETING, date=day)
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=TODAY)
    assert _state(board, quarterly, hanshan.workstation, D(2025, 1, 1)) == rhythm.MET
    assert _state(board, quarterly, hanshan.workstation, D(2025, 4, 1)) == rhythm.BEHIND


def test_a_meeting_half_an_hour_later_counts_in_the_next_quarter(hanshan):
    quarterly = _requirement(
        hanshan.committee, period=Requirement.Period.QUARTER, counts=Requirement.Counts.CONSULTATION
    )
    moment = datetime.datetime(2025, 3, 31, 16, 0, tzinfo=datetime.UTC)  # 00:00 on 1 April
    consultation = ConsultationFactory(workstation=hanshan.workstation, opened_on=D(2025, 2, 1))
    ConsultationStepFactory(
        consultation=consultation, step=Consultation.Step.MEETING, date=timezone.localdate(moment)
    )
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=TODAY)
    assert _state(board, quarterly, hanshan.workstation, D(2025, 1, 1)) == rhythm.BEHIND
    assert _state(board, quarterly, hanshan.workstation, D(2025, 4, 1)) == rhythm.MET


def test_two_meetings_of_one_consultation_count_once(hanshan):
    quarterly = _requirement(
        hanshan.committee,
        period=Requirement.Period.QUARTER,
        counts=Requirement.Counts.CONSULTATION,
        minimum=2,
    )
    consultation = ConsultationFactory(workstation=hanshan.workstation, opened_on=D(2025, 1, 5))
    for day in (D(2025, 1, 20), D(2025, 2, 20)):
        ConsultationStepFactory(consultation=consultation, step=Consultation.Step.MEETING, date=day)
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=TODAY)
    assert _state(board, quarterly, hanshan.workstation, D(2025, 1, 1)) == rhythm.BEHIND


def test_a_yearly_report_counts_only_the_kinds_asked_for(hanshan):
    yearly = _requirement(
        hanshan.committee,
        period=Requirement.Period.YEAR,
        counts=Requirement.Counts.OUTCOME,
        outcome_kinds=[Outcome.Kind.CONSULTATION_REPORT],
    )
    OutcomeFactory(
        committee=hanshan.committee,
        workstation=hanshan.workstation,
        kind=Outcome.Kind.PUBLIC_OPINION,
        submitted_on=D(2025, 5, 1),
    )
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=D(2026, 1, 2))
    assert _state(board, yearly, hanshan.workstation, D(2025, 1, 1)) == rhythm.BEHIND
    OutcomeFactory(
        committee=hanshan.committee,
        workstation=hanshan.workstation,
        kind=Outcome.Kind.CONSULTATION_REPORT,
        submitted_on=D(2025, 12, 31),
    )
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=D(2026, 1, 2))
    assert _state(board, yearly, hanshan.workstation, D(2025, 1, 1)) == rhythm.MET


def test_only_the_requirements_types_count(hanshan):
    reception = ActivityTypeFactory(committee=hanshan.committee, code="reception", name="接待群众")
    twice = _requirement(hanshan.committee, name="每月两次接待", minimum=2)
    twice.activity_types.set([reception])
    ActivityFactory(workstation=hanshan.workstation, date=D(2025, 3, 3), type=reception)
    ActivityFactory(workstation=hanshan.workstation, date=D(2025, 3, 4))  # a lecture
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=TODAY)
    assert _state(board, twice, hanshan.workstation, D(2025, 3, 1)) == rhythm.BEHIND
    ActivityFactory(workstation=hanshan.workstation, date=D(2025, 3, 20), type=reception)
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=TODAY)
    assert _state(board, twice, hanshan.workstation, D(2025, 3, 1)) == rhythm.MET


def test_a_requirement_changed_mid_year_keeps_closed_periods(hanshan):
    monthly = _requirement(hanshan.committee)
    for month in (3, 8):
        ActivityFactory(workstation=hanshan.workstation, date=D(2025, month, 10))
    current = requirement_change(requirement=monthly, changes={"minimum": 2}, today=D(2025, 7, 15))
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=D(2025, 11, 1))
    assert current.pk != monthly.pk
    assert _state(board, monthly, hanshan.workstation, D(2025, 3, 1)) == rhythm.MET
    assert (
        board.cell(monthly, hanshan.workstation, rhythm.period_containing("month", D(2025, 8, 1)))
        is None
    )
    assert _state(board, current, hanshan.workstation, D(2025, 8, 1)) == rhythm.BEHIND


def test_a_requirement_changed_before_any_period_closed_changes_in_place(hanshan):
    monthly = _requirement(hanshan.committee, effective_from=D(2025, 7, 1))
    current = requirement_change(requirement=monthly, changes={"minimum": 2}, today=D(2025, 7, 15))
    assert current.pk == monthly.pk
    assert Requirement.objects.count() == 1


def test_a_workstation_established_later_is_not_judged_before(hanshan):
    monthly = _requirement(hanshan.committee)
    hanshan.workstation.established_on = D(2025, 5, 10)
    hanshan.workstation.save()
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=TODAY)
    assert _state(board, monthly, hanshan.workstation, D(2025, 4, 1)) == rhythm.NOT_APPLICABLE
    assert _state(board, monthly, hanshan.workstation, D(2025, 5, 1)) == rhythm.BEHIND


def test_a_requirement_for_some_kinds_skips_the_others(hanshan):
    rooms_only = _requirement(hanshan.committee, workstation_kinds=["consultation_room"])
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=TODAY)
    period = rhythm.period_containing("month", D(2025, 3, 1))
    assert board.cell(rooms_only, hanshan.workstation, period) is None


def test_another_countys_requirement_does_not_judge_this_county(hanshan, huimin):
    _requirement(huimin.committee)
    board = rhythm.rhythm_board(hanshan.committee, YEAR, today=TODAY)
    assert board.cells == {}


def test_a_city_board_judges_each_county_by_its_own_requirements(hanshan, huimin):
    _requirement(hanshan.committee)
    board = rhythm.rhythm_board(hanshan.committee.parent, YEAR, today=TODAY)
    assert {c.workstation.committee for c in board.cells.values()} == {hanshan.committee}


def test_behind_lists_closed_periods_not_met(hanshan):
    _requirement(hanshan.committee)
    ActivityFactory(workstation=hanshan.workstation, date=D(2025, 6, 3))
    board = rhythm.rhythm_board(
        hanshan.committee,
        YEAR,
        today=TODAY,
        workstations=hanshan.committee.workstations.filter(pk=hanshan.workstation.pk),
    )
    months = [c.period.start.month for c in board.behind()]
    assert months == [5, 4, 3, 2, 1]


def test_a_member_who_left_mid_year_is_not_listed_as_inactive(hanshan):
    place = hanshan.member.memberships.get()
    place.until = D(2025, 6, 30)
    place.save()
    inactive = rhythm.members_without_activity(hanshan.committee, months=3, today=TODAY)
    assert hanshan.member not in inactive
    assert hanshan.convener in inactive


def test_a_member_active_recently_is_not_listed(hanshan):
    ActivityFactory(
        workstation=hanshan.workstation, date=D(2025, 7, 1), participants=[hanshan.convener]
    )
    inactive = rhythm.members_without_activity(hanshan.committee, months=3, today=TODAY)
    assert hanshan.convener not in inactive


def test_a_member_active_recently_in_another_countys_workstation_is_not_listed(hanshan, huimin):
    ActivityFactory(
        workstation=huimin.workstation, date=D(2025, 7, 1), participants=[hanshan.convener]
    )
    inactive = rhythm.members_without_activity(hanshan.committee, months=3, today=TODAY)
    assert hanshan.convener not in inactive


def test_members_never_active_come_first_then_the_longest_idle(hanshan):
    ActivityFactory(
        workstation=hanshan.workstation, date=D(2025, 1, 5), participants=[hanshan.convener]
    )
    ActivityFactory(
        workstation=hanshan.workstation, date=D(2025, 2, 5), participants=[hanshan.member]
    )
    inactive = rhythm.members_without_activity(hanshan.committee, months=3, today=TODAY)
    dated = [m for m in inactive if m.last_activity]
    assert [m.last_activity for m in dated] == [D(2025, 1, 5), D(2025, 2, 5)]
    assert all(m.last_activity is None for m in inactive[: len(inactive) - len(dated)])


def test_a_member_whose_only_activity_is_older_than_n_months_is_listed(hanshan):
    ActivityFactory(
        workstation=hanshan.workstation, date=D(2025, 1, 5), participants=[hanshan.convener]
    )
    inactive = rhythm.members_without_activity(hanshan.committee, months=3, today=TODAY)
    assert [m.last_activity for m in inactive if m == hanshan.convener] == [D(2025, 1, 5)]


@pytest.mark.parametrize("size", [5, 60])
def test_the_board_takes_a_bounded_number_of_queries(hanshan, size, django_assert_max_num_queries):
    county = hanshan.committee
    monthly = _requirement(county)
    _requirement(county, period=Requirement.Period.QUARTER, counts=Requirement.Counts.CONSULTATION)
    _requirement(county, period=Requirement.Period.YEAR, counts=Requirement.Counts.OUTCOME)
    lecture = ActivityTypeFactory(committee=county)
    stations = [
        WorkstationFactory(committee=county, area=hanshan.workstation.area) for _ in range(size)
    ]
    Activity.objects.bulk_create(
        Activity(
            workstation=ws,
            type=lecture,
            title="宣讲",
            date=D(2025, month, 5),
            status=Activity.Status.APPROVED,
            approved_at=timezone.now(),
        )
        for ws in stations
        for month in range(1, 13)
    )
    # The subtree, the workstations, the requirements and their types, and the three counts.
    with django_assert_max_num_queries(7):
        board = rhythm.rhythm_board(county, YEAR, today=D(2026, 1, 10))
    assert _state(board, monthly, stations[-1], D(2025, 12, 1)) == rhythm.MET
    assert len(board.cells) == (size + 2) * (12 + 4 + 1)


def test_members_without_activity_stays_bounded(hanshan, django_assert_max_num_queries):
    for _ in range(30):
        MembershipFactory(
            member=MemberFactory(committee=hanshan.committee),
            workstation=hanshan.workstation,
            role=Membership.Role.RESIDENT,
        )
    # The subtree, the members without activity since the cutoff, and those members.
    with django_assert_max_num_queries(3):
        rhythm.members_without_activity(hanshan.committee, months=2, today=TODAY)
