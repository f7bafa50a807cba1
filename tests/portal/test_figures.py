"""The figures a county reports (outcomes/figures.py), as the brand page shows them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from consultations.models import PublicMessage
from outcomes.figures import Rate, committee_figures, figure_rows
from outcomes.models import OutcomeEvent
from tests.factories import (
    ActivityFactory,
    OutcomeEventFactory,
    OutcomeFactory,
    PublicMessageFactory,
)

pytestmark = pytest.mark.django_db


def year() -> int:
    return timezone.localdate().year


def rated(p, rating: int, *, status=PublicMessage.Status.CLOSED, when=None):
    return PublicMessageFactory(
        workstation=p.workstation,
        status=status,
        rating=rating if status == PublicMessage.Status.CLOSED else None,
        rated_at=when or timezone.now(),
    )


def test_the_portal_counts_only_what_is_published(portal):
    f = committee_figures(portal.county, year())
    # 含山: two published workstations (the fixtures' two), the unpublished one not counted.
    assert f.workstations == 2
    assert [(k.kind, k.count) for k in f.workstations_by_kind] == [("workstation", 2)]
    # Sitting today: the convener and the member of the first, the convener of the second.
    assert f.members_sitting == 3
    assert f.participation == Rate(2, 3)
    assert (f.activities, f.residents_served) == (1, 40)
    assert f.consultations == 1
    assert f.outcomes_submitted == 1
    assert f.transformation == Rate(1, 1)
    assert f.endorsements == 1
    assert f.problems_solved == 0
    assert f.recognition == Rate(0, 0) and f.recognition.percent is None


def test_the_figures_take_a_bounded_number_of_queries(portal, django_assert_max_num_queries):
    # The subtree, the workstations by kind, the summary, and the two counts of people.
    with django_assert_max_num_queries(5):
        committee_figures(portal.county, year())


def test_recognition_is_the_share_rated_four_or_five(portal):
    for rating in (5, 4, 3, 1):
        rated(portal, rating)
    rated(portal, 5, when=timezone.now() - datetime.timedelta(days=800))  # another year
    rated(portal, 3, status=PublicMessage.Status.ANSWERED)  # not closed: not rated
    PublicMessageFactory(  # at an unpublished workstation: off the public figures
        workstation=portal.hidden_workstation,
        status=PublicMessage.Status.CLOSED,
        rating=1,
        rated_at=timezone.now(),
    )
    rate = committee_figures(portal.county, year()).recognition
    assert rate == Rate(2, 4) and rate.percent == 50


def test_transformation_counts_implemented_or_solved_not_adopted(portal):
    adopted = OutcomeFactory(committee=portal.county, workstation=portal.workstation)
    OutcomeEventFactory(outcome=adopted, kind=OutcomeEvent.Kind.ADOPTED)
    solved = OutcomeFactory(committee=portal.county, workstation=portal.workstation)
    OutcomeEventFactory(outcome=solved, kind=OutcomeEvent.Kind.SOLVED, date=timezone.localdate())
    f = committee_figures(portal.county, year())
    assert f.transformation == Rate(2, 3)
    assert f.problems_solved == 1


def test_participation_counts_each_member_once_and_only_published_activities(portal):
    ActivityFactory(
        workstation=portal.workstation,
        type=portal.type,
        participants=[portal.member, portal.hanshan.other_member],
        date=timezone.localdate(),
    )
    ActivityFactory(
        workstation=portal.workstation,
        type=portal.type,
        status="draft",
        participants=[portal.hidden_member],
        date=timezone.localdate(),
    )
    assert committee_figures(portal.county, year()).participation == Rate(3, 3)


def test_a_city_rolls_up_its_counties_and_no_others(portal):
    county = committee_figures(portal.county, year())
    city = committee_figures(portal.county.parent, year())
    province = committee_figures(portal.county.parent.parent, year())
    assert county == city == province
    other = committee_figures(portal.other.committee.parent, year())
    assert other.activities == 0 and other.workstations == 2


def test_staff_figures_count_everything(portal):
    public = committee_figures(portal.county, year())
    everything = committee_figures(portal.county, year(), public=False)
    assert everything.workstations == public.workstations + 1
    # Approved activities, wherever they were held.
    assert everything.activities == public.activities + 1


def test_every_figure_says_how_it_is_counted(portal):
    rows = figure_rows(committee_figures(portal.county, year()))
    assert len(rows) == 11
    assert all(row.note for row in rows)
    assert {r.key for r in rows if r.rate} == {"participation", "transformation", "recognition"}


def test_the_brand_page_shows_the_rates_with_their_parts(client, portal):
    rated(portal, 5)
    content = client.get(f"/{portal.county.slug}/").content.decode()
    assert "Public recognition rate" in content
    assert '100<span class="unit">%</span>' in content
    assert "1 of 1" in content
    assert "out of the members who sit in a workstation" in content
