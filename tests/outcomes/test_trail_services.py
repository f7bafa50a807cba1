"""What became of an outcome, as a dated trail: adopted, put into effect, problem solved
(``outcome_add_event``), a leader's endorsement (``outcome_endorse``), many at once
(``outcome_trail_record``). The rules are the models' own, so the admin's inlines obey them too."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from outcomes.models import Endorsement, Outcome, OutcomeEvent
from outcomes.services.outcomes import (
    EndorsementRecord,
    EventRecord,
    outcome_add_event,
    outcome_endorse,
    outcome_trail_record,
)
from tests.factories import OutcomeFactory

pytestmark = pytest.mark.django_db

Kind = OutcomeEvent.Kind


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def outcome(hanshan):
    return OutcomeFactory(committee=hanshan.committee, submitted_on=days_ago(10))


@pytest.fixture
def draft(hanshan):
    return OutcomeFactory(
        committee=hanshan.committee, status=Outcome.Status.DRAFT, submitted_on=None
    )


def endorse(outcome, **kwargs) -> Endorsement:
    values = {
        "leader": "张某某",
        "leader_title": "县委书记",
        "level": "county",
        "date": days_ago(2),
    }
    return outcome_endorse(outcome=outcome, **{**values, **kwargs})


# --- One entry at a time -------------------------------------------------------------------------


def test_an_adoption_is_added_to_the_trail_by_whom_it_says(outcome, hanshan):
    event = outcome_add_event(
        outcome=outcome, kind=Kind.ADOPTED, date=days_ago(5), adopted_by="县委办", by=hanshan.staff
    )
    assert list(outcome.events.all()) == [event]
    assert event.history.get().history_user == hanshan.staff


def test_a_draft_outcome_has_no_trail(draft):
    with pytest.raises(ValidationError) as excinfo:
        outcome_add_event(outcome=draft, kind=Kind.ADOPTED, date=days_ago(1), adopted_by="县委办")
    assert "__all__" in excinfo.value.message_dict
    assert not OutcomeEvent.objects.exists()


def test_an_entry_cannot_be_dated_before_the_submission(outcome):
    with pytest.raises(ValidationError) as excinfo:
        outcome_add_event(outcome=outcome, kind=Kind.SOLVED, date=days_ago(11))
    assert "date" in excinfo.value.message_dict
    assert outcome_add_event(outcome=outcome, kind=Kind.SOLVED, date=days_ago(10))


def test_an_entry_cannot_be_dated_in_the_future(outcome):
    with pytest.raises(ValidationError) as excinfo:
        outcome_add_event(outcome=outcome, kind=Kind.SOLVED, date=days_ago(-1))
    assert "date" in excinfo.value.message_dict


def test_an_adoption_says_who_adopted_it(outcome):
    with pytest.raises(ValidationError) as excinfo:
        outcome_add_event(outcome=outcome, kind=Kind.ADOPTED, date=days_ago(5), adopted_by=" ")
    assert "adopted_by" in excinfo.value.message_dict


def test_putting_into_effect_says_by_whom_or_what_was_done(outcome):
    with pytest.raises(ValidationError) as excinfo:
        outcome_add_event(outcome=outcome, kind=Kind.IMPLEMENTED, date=days_ago(5))
    assert "department" in excinfo.value.message_dict
    event = outcome_add_event(
        outcome=outcome,
        kind=Kind.IMPLEMENTED,
        date=days_ago(5),
        measure="新增停车位",
        money=Decimal("450000"),
    )
    assert event.money == Decimal("450000")


def test_an_endorsement_is_recorded_with_its_leader(outcome, hanshan):
    endorsement = endorse(outcome, text="请认真研究落实。", by=hanshan.staff)
    assert list(outcome.endorsements.all()) == [endorsement]
    assert endorsement.history.get().history_user == hanshan.staff


def test_a_draft_outcome_is_not_endorsed(draft):
    with pytest.raises(ValidationError):
        endorse(draft)


def test_an_endorsement_cannot_come_before_the_submission_or_in_the_future(outcome):
    for day in (days_ago(11), days_ago(-1)):
        with pytest.raises(ValidationError) as excinfo:
            endorse(outcome, date=day)
        assert "date" in excinfo.value.message_dict
    assert not Endorsement.objects.exists()


def test_the_rules_are_the_models_own(draft, outcome):
    """What the admin's inlines check: the same clean()."""
    with pytest.raises(ValidationError):
        OutcomeEvent(outcome=draft, kind=Kind.SOLVED, date=days_ago(1)).full_clean()
    with pytest.raises(ValidationError):
        Endorsement(
            outcome=outcome, leader="张某某", leader_title="县长", level="county", date=days_ago(20)
        ).full_clean()


# --- Many at once --------------------------------------------------------------------------------


def test_many_entries_are_written_with_their_history(outcome, hanshan):
    events, endorsements = outcome_trail_record(
        events=[
            EventRecord(outcome=outcome, kind=Kind.ADOPTED, date=days_ago(8), adopted_by="县委办"),
            EventRecord(outcome=outcome, kind=Kind.SOLVED, date=days_ago(1)),
        ],
        endorsements=[
            EndorsementRecord(
                outcome=outcome,
                leader="张某某",
                leader_title="县长",
                level="county",
                date=days_ago(3),
            )
        ],
        by=hanshan.staff,
        reason="demo",
    )
    assert [e.kind for e in outcome.events.all()] == [Kind.ADOPTED, Kind.SOLVED]
    assert outcome.endorsements.count() == 1
    assert events[0].history.get().history_change_reason == "demo"


def test_a_bad_entry_refuses_the_whole_batch(outcome, draft):
    with pytest.raises(ValidationError) as excinfo:
        outcome_trail_record(
            events=[
                EventRecord(outcome=outcome, kind=Kind.SOLVED, date=days_ago(1)),
                EventRecord(outcome=draft, kind=Kind.SOLVED, date=days_ago(1)),
            ]
        )
    assert "event 1" in excinfo.value.message_dict
    assert not OutcomeEvent.objects.exists()


def test_entries_are_checked_against_the_outcome_as_stored(outcome):
    stale = Outcome.objects.get(pk=outcome.pk)
    Outcome.objects.filter(pk=outcome.pk).update(status=Outcome.Status.DRAFT, submitted_on=None)
    with pytest.raises(ValidationError):
        outcome_trail_record(
            events=[EventRecord(outcome=stale, kind=Kind.SOLVED, date=days_ago(1))]
        )
