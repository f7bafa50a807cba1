"""Outcomes the office files itself (``outcome_create_by_office``), and many outcomes at once
(``outcomes_record``) under the rules of writing, submitting and filing one."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from outcomes.models import Outcome
from outcomes.services.outcomes import (
    OutcomeRecord,
    outcome_create,
    outcome_create_by_office,
    outcomes_record,
)

pytestmark = pytest.mark.django_db

Kind = Outcome.Kind


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def record(ns, **kwargs) -> OutcomeRecord:
    values = {
        "kind": Kind.PUBLIC_OPINION,
        "title": "关于改善农村饮水安全的建议",
        "summary": "建议加快供水管网改造。",
        "author": ns.member,
        "workstation": ns.workstation,
    }
    values.update(kwargs)
    return OutcomeRecord(**values)


# --- The office's own ----------------------------------------------------------------------------


def test_the_office_files_a_bulletin_submitted_with_no_member_author(hanshan):
    bulletin = outcome_create_by_office(
        committee=hanshan.committee,
        by=hanshan.staff,
        kind=Kind.BULLETIN,
        title="《信息专报》第1期",
        summary="本期编发委员工作室协商的做法。",
        submitted_to="县委主要负责同志",
        on=days_ago(3),
    )
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.submitted_on) == (Outcome.Status.SUBMITTED, days_ago(3))
    assert not bulletin.authors.exists()
    assert bulletin.history.get().history_user == hanshan.staff


def test_the_office_writes_no_proposals(hanshan):
    with pytest.raises(ValidationError) as excinfo:
        outcome_create_by_office(
            committee=hanshan.committee, by=None, kind=Kind.PROPOSAL, title="提案", summary="x"
        )
    assert "kind" in excinfo.value.message_dict


def test_the_offices_outcome_says_something(hanshan):
    with pytest.raises(ValidationError) as excinfo:
        outcome_create_by_office(
            committee=hanshan.committee, by=None, kind=Kind.BULLETIN, title="第1期"
        )
    assert "summary" in excinfo.value.message_dict


def test_the_offices_outcome_is_not_filed_in_the_future(hanshan):
    with pytest.raises(ValidationError):
        outcome_create_by_office(
            committee=hanshan.committee,
            by=None,
            kind=Kind.BULLETIN,
            title="第1期",
            summary="x",
            on=days_ago(-1),
        )


def test_a_typical_case_is_told_in_its_five_parts(hanshan):
    outcome, _created = outcome_create(
        author=hanshan.member,
        token=uuid.uuid4(),
        kind=Kind.TYPICAL_CASE,
        title="加装电梯协商案例",
        case={"background": "老旧小区", "effect": "电梯开工"},
    )
    assert (outcome.background, outcome.effect, outcome.process) == ("老旧小区", "电梯开工", "")


# --- Many at once --------------------------------------------------------------------------------


def test_records_are_written_as_drafts_or_submitted_with_their_authors(hanshan):
    draft, submitted = outcomes_record(
        records=[
            record(hanshan),
            record(hanshan, co_authors=[hanshan.convener], submitted_on=days_ago(5)),
        ],
        reason="demo",
    )
    assert Outcome.objects.get(pk=draft.pk).status == Outcome.Status.DRAFT
    submitted.refresh_from_db()
    assert (submitted.status, submitted.submitted_on) == (Outcome.Status.SUBMITTED, days_ago(5))
    assert set(submitted.authors.all()) == {hanshan.member, hanshan.convener}
    assert submitted.committee == hanshan.committee
    history = submitted.history.get()
    assert history.history_change_reason == "demo"
    assert {a.member_id for a in history.authors.all()} == {hanshan.member.pk, hanshan.convener.pk}


def test_only_an_author_submits(hanshan):
    with pytest.raises(ValidationError):
        outcomes_record(
            records=[record(hanshan, submitted_on=days_ago(5), submitted_by=hanshan.convener)]
        )


def test_a_submitted_record_says_something(hanshan):
    with pytest.raises(ValidationError):
        outcomes_record(records=[record(hanshan, summary="", submitted_on=days_ago(5))])


def test_a_co_author_from_another_committee_refuses_the_whole_batch(hanshan, huimin):
    with pytest.raises(ValidationError) as excinfo:
        outcomes_record(records=[record(hanshan), record(hanshan, co_authors=[huimin.member])])
    assert "record 1" in excinfo.value.message_dict
    assert not Outcome.objects.exists()


def test_a_workstation_of_another_committee_is_refused(hanshan, huimin):
    with pytest.raises(ValidationError):
        outcomes_record(records=[record(hanshan, workstation=huimin.workstation)])


def test_a_submission_in_the_future_is_refused(hanshan):
    with pytest.raises(ValidationError):
        outcomes_record(records=[record(hanshan, submitted_on=days_ago(-1))])


def test_an_office_record_is_a_submitted_bulletin_or_case(hanshan):
    office = {"author": None, "committee": hanshan.committee, "kind": Kind.BULLETIN}
    (bulletin,) = outcomes_record(records=[record(hanshan, **office, submitted_on=days_ago(2))])
    assert not bulletin.authors.exists()
    with pytest.raises(ValidationError):
        outcomes_record(records=[record(hanshan, **office)])  # a draft
    with pytest.raises(ValidationError):
        outcomes_record(
            records=[record(hanshan, **{**office, "kind": Kind.PROPOSAL}, submitted_on=days_ago(2))]
        )
