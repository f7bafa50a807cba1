"""The workspace pages take the same number of queries however long a member's history is."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Activity
from outcomes.services.setup import committee_seed_rhythm
from tests.factories import (
    ConsultationFactory,
    EndorsementFactory,
    OutcomeEventFactory,
    OutcomeFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    ("me:desk", "member"),
    ("me:activity_list", "member"),
    ("me:outcome_list", "member"),
    ("me:consultation_list", "member"),
    ("me:queue", "convener"),
]


def _history(ws, make_activity, size: int) -> None:
    today = timezone.localdate()
    for i in range(size):
        day = today - datetime.timedelta(days=i * 3)
        for status in (Activity.Status.APPROVED, Activity.Status.SUBMITTED):
            make_activity(
                status=status,
                date=day,
                approved_at=timezone.now() if status == Activity.Status.APPROVED else None,
                participants=[ws.member, ws.convener],
            )
        outcome = OutcomeFactory(
            committee=ws.committee, workstation=ws.workstation, authors=[ws.member]
        )
        OutcomeEventFactory(outcome=outcome)
        EndorsementFactory(outcome=outcome)
        ConsultationFactory(workstation=ws.workstation)


def _count(client, name) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name))
    return response.status_code, len(queries)


@pytest.mark.parametrize(("name", "persona"), PAGES)
def test_a_workspace_page_does_not_grow_with_the_history(ws, make_activity, login, name, persona):
    committee_seed_rhythm(committee=ws.committee)
    client = login(getattr(ws, persona).user)
    _history(ws, make_activity, 3)
    status, small = _count(client, name)
    _history(ws, make_activity, 30)
    status_large, large = _count(client, name)
    assert (status, status_large) == (200, 200)
    assert large == small, f"{name}: {small} queries with a short history, {large} with a long one"
