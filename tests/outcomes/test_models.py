import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from outcomes.models import Outcome
from tests.factories import EndorsementFactory, OutcomeEventFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def test_a_submitted_outcome_needs_its_date(hanshan):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeFactory(committee=hanshan.committee, submitted_on=None)


def test_a_draft_outcome_needs_no_date(hanshan):
    draft = OutcomeFactory(
        committee=hanshan.committee, status=Outcome.Status.DRAFT, submitted_on=None
    )
    draft.full_clean()
    assert Outcome.objects.get(pk=draft.pk).submitted_on is None


def test_an_outcome_cannot_name_another_committees_workstation(hanshan, huimin):
    outcome = OutcomeFactory.build(committee=hanshan.committee, workstation=huimin.workstation)
    with pytest.raises(ValidationError) as excinfo:
        outcome.full_clean()
    assert "workstation" in excinfo.value.message_dict


def test_an_endorsement_cannot_be_dated_in_the_future(hanshan):
    endorsement = EndorsementFactory.build(
        outcome=OutcomeFactory(committee=hanshan.committee),
        date=timezone.localdate() + datetime.timedelta(days=2),
    )
    with pytest.raises(ValidationError):
        endorsement.full_clean()


def test_funds_put_into_effect_cannot_be_negative(hanshan):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeEventFactory(outcome=OutcomeFactory(committee=hanshan.committee), money=-1)


def test_published_outcomes_exclude_drafts(hanshan):
    shown = OutcomeFactory(committee=hanshan.committee)
    OutcomeFactory(committee=hanshan.committee, status=Outcome.Status.DRAFT, submitted_on=None)
    assert list(Outcome.objects.published()) == [shown]
