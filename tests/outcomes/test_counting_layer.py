"""One counting layer: the summary the pages read equals a count from the records, whatever
the services wrote; and where two pages show a figure under one label, it is one number."""

from __future__ import annotations

import datetime
import random
import uuid

import pytest
from django.utils import timezone

from consultations.models import Activity, Consultation, PublicMessage
from consultations.services.activities import ActivityRecord, activities_record
from consultations.services.consultations import consultation_open, consultation_record_step
from consultations.services.messages import (
    message_answer,
    message_close,
    message_create,
    message_hide,
    message_rate,
)
from outcomes import counts, figures_by_period
from outcomes.figures import FIGURES, committee_figures
from outcomes.models import OutcomeEvent
from outcomes.services.outcomes import (
    outcome_add_event,
    outcome_create,
    outcome_endorse,
    outcome_submit,
)
from tests.factories import ActivityTypeFactory, WorkstationFactory
from workstations.services import workstations_set_published

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _some_day(rng: random.Random, days: int = 500) -> datetime.date:
    return TODAY - datetime.timedelta(days=rng.randint(0, days))


def _random_records(ns, seed: int) -> None:
    """Write a county's records of every kind, at random, through the services only."""
    rng = random.Random(seed)
    lecture = ActivityTypeFactory(committee=ns.committee)
    people = [ns.member, ns.convener]
    for _ in range(3):
        activities_record(
            records=[
                ActivityRecord(
                    workstation=ns.workstation,
                    type=lecture,
                    date=_some_day(rng),
                    title=f"活动{rng.random()}",
                    description="宣讲",
                    residents_served=rng.randint(0, 50),
                    participants=rng.sample(people, rng.randint(0, 2)),
                    status=rng.choice(list(Activity.Status.values)),
                    returned_comment="请补充",
                )
                for _ in range(rng.randint(1, 6))
            ],
            by=ns.staff,
        )
    for _ in range(4):
        opened = _some_day(rng, 300)
        c = consultation_open(
            workstation=ns.workstation,
            opened_by=ns.convener,
            topic=f"议题{rng.random()}",
            topic_source=Consultation.TopicSource.MEMBERS,
            opened_on=opened,
        )
        for step in sorted(rng.sample(range(2, 6), rng.randint(0, 3))):
            day = min(TODAY, opened + datetime.timedelta(days=step * rng.randint(1, 9)))
            consultation_record_step(consultation=c, step=step, date=day, summary="记录")
        if rng.random() < 0.5:
            Consultation.objects.filter(pk=c.pk).update(is_published=False)
            from consultations.tallies import refresh_for

            refresh_for([c])  # as the back office does when it saves a consultation
    for _ in range(8):
        message = message_create(
            workstation=ns.workstation,
            mobile="13900001111",
            category=PublicMessage.Category.OTHER,
            text="留言",
            notify=False,
            at=timezone.now() - datetime.timedelta(days=rng.randint(0, 400)),
        )
        roll = rng.random()
        if roll < 0.2:
            message_hide(message=message)
        elif roll < 0.8:
            message_answer(message=message, reply="已办理")
            if roll < 0.6:
                message_close(message=message)
                if roll < 0.5:
                    message_rate(message=message, rating=rng.randint(1, 5))
    for _ in range(5):
        outcome, _created = outcome_create(
            author=ns.member,
            token=uuid.uuid4(),
            kind="public_opinion",
            title=f"成果{rng.random()}",
            summary="建议",
            workstation=ns.workstation,
        )
        if rng.random() < 0.8:
            outcome_submit(outcome=outcome, by=ns.member, on=_some_day(rng, 200))
            outcome.refresh_from_db()
            if rng.random() < 0.6:
                outcome_add_event(
                    outcome=outcome,
                    kind=rng.choice(list(OutcomeEvent.Kind.values)),
                    date=min(TODAY, outcome.submitted_on + datetime.timedelta(days=3)),
                    adopted_by="县委办",
                    department="住建局",
                    measure="修路",
                )
            if rng.random() < 0.4:
                outcome_endorse(
                    outcome=outcome,
                    leader="张某某",
                    leader_title="县长",
                    level="county",
                    date=min(TODAY, outcome.submitted_on + datetime.timedelta(days=2)),
                )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_summary_equals_a_fresh_count_after_random_writes(hanshan, huimin, seed):
    _random_records(hanshan, seed)
    _random_records(huimin, seed + 10)
    # A workstation published and unpublished again: the counties' sums follow.
    hidden = WorkstationFactory(committee=hanshan.committee, is_published=False)
    workstations_set_published(workstations=[hanshan.workstation], published=False)
    workstations_set_published(workstations=[hidden, hanshan.workstation], published=True)
    ids = [hanshan.committee.pk, huimin.committee.pk]
    assert counts.differences(ids) == []
    for year in (TODAY.year - 1, TODAY.year):
        period = counts.year_bounds(year)
        for public in (True, False):
            city = hanshan.committee.parent
            assert counts.sums(city, period, public=public) == counts.fresh_counts(
                city, period, public=public
            )


def test_every_figure_is_the_same_number_on_every_page(hanshan):
    _random_records(hanshan, 7)
    year = TODAY.year
    period = counts.year_bounds(year)
    public = counts.fresh_counts(hanshan.committee, period, public=True)
    staff = counts.fresh_counts(hanshan.committee, period, public=False)
    brand = committee_figures(hanshan.committee, year)
    assert (brand.activities, brand.residents_served, brand.consultations) == (
        public["activities"],
        public["residents"],
        public["consultations"],
    )
    assert (brand.outcomes_submitted, brand.endorsements, brand.problems_solved) == (
        public["outcomes"],
        public["endorsements"],
        public["solved"],
    )
    # The office's monthly series add up to the staff figures, under the staff's labels.
    monthly = figures_by_period.monthly(hanshan.committee, year)
    for figure in FIGURES:
        assert sum(monthly[figure.key]) == staff[figure.tally], figure.key
    # The by-county roll-up of the city shows the county's own numbers.
    ((county, totals),) = figures_by_period.by_committee(hanshan.committee.parent, year)
    assert county == hanshan.committee
    assert all(totals[f.key] == staff[f.tally] for f in FIGURES)


def test_public_and_staff_labels_differ_wherever_the_counts_may(hanshan):
    """A clerk never sees one label with two numbers: a figure that counts only what is
    published is named differently from the one that counts the whole register."""
    for figure in FIGURES:
        if figure.public_label:
            assert figure.public_label != figure.staff_label, figure.key
    labels = [str(f.staff_label) for f in FIGURES]
    assert len(labels) == len(set(labels))
