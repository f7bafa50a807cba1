"""The number of queries of each public page does not grow with the data.

Each page is measured with the portal's data grown to 5 and then to 500 activities (and as many
outcomes, replies, members …); the count must be the same both times and within one bound.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from config.portal.cache import forget_tenants
from consultations.models import Activity, ActivityPhoto, Consultation, PublicMessage
from members.models import Member, Membership
from outcomes import counts
from outcomes.models import Outcome, OutcomeEvent
from workstations.models import Workstation, WorkstationPhoto

from .test_pages import PAGE_NAMES, public_pages

pytestmark = pytest.mark.django_db

# The brand home is the heaviest page: 8 aggregate queries for its figures and 10 for the rest.
MAX_QUERIES = 20


def grow(p, n: int, start: int) -> None:
    """Add ``n`` published activities (each with a photo and two members who took part), and
    outcomes, consultations, answered messages, members and workstations in proportion."""
    ws, now, today = p.workstation, timezone.now(), timezone.localdate()
    activities = Activity.objects.bulk_create(
        Activity(
            workstation=ws,
            type=p.type,
            title=f"批量活动{start + i}",
            date=today - datetime.timedelta(days=i % 200),
            residents_served=10,
            description="批量生成的活动。",
            status=Activity.Status.APPROVED,
            approved_at=now,
        )
        for i in range(n)
    )
    ActivityPhoto.objects.bulk_create(
        ActivityPhoto(activity=a, image="activities/test.jpg") for a in activities
    )
    through = Activity.participants.through
    through.objects.bulk_create(
        through(activity_id=a.pk, member_id=m.pk)
        for a in activities
        for m in (p.member, p.hanshan.convener)
    )
    outcomes = Outcome.objects.bulk_create(
        Outcome(
            committee=p.county,
            workstation=ws,
            kind=Outcome.Kind.PROPOSAL,
            title=f"批量成果{start + i}",
            status=Outcome.Status.SUBMITTED,
            submitted_on=today,
            is_published=True,
        )
        for i in range(n)
    )
    Outcome.authors.through.objects.bulk_create(
        Outcome.authors.through(outcome_id=o.pk, member_id=p.member.pk) for o in outcomes
    )
    OutcomeEvent.objects.bulk_create(
        OutcomeEvent(outcome=o, kind=OutcomeEvent.Kind.SOLVED, date=today) for o in outcomes
    )
    Consultation.objects.bulk_create(
        Consultation(
            workstation=ws,
            topic=f"批量议题{start + i}",
            topic_source=Consultation.TopicSource.MEMBERS,
            opened_on=today,
            stage=Consultation.Step.MEETING,
            is_published=True,
        )
        for i in range(n)
    )
    PublicMessage.objects.bulk_create(
        PublicMessage(
            workstation=ws,
            tracking_code=f"Q{start + i:09d}",
            mobile="13700009999",
            category=PublicMessage.Category.OTHER,
            text="批量留言",
            status=PublicMessage.Status.CLOSED,
            reply="批量答复",
            reply_may_be_published=True,
            rating=5,
            rated_at=now,
        )
        for i in range(n)
    )
    members = Member.objects.bulk_create(
        Member(committee=p.county, name=f"批量委员{start + i}") for i in range(max(1, n // 10))
    )
    Membership.objects.bulk_create(Membership(member=m, workstation=ws) for m in members)
    more = Workstation.objects.bulk_create(
        Workstation(
            committee=p.county,
            name=f"批量工作室{start + i}",
            slug=f"bulk-{start + i}",
            kind=Workstation.Kind.CONSULTATION_ROOM,
            category=Workstation.Category.AREA,
            area=ws.area,
            is_published=True,
        )
        for i in range(max(1, n // 10))
    )
    WorkstationPhoto.objects.bulk_create(
        WorkstationPhoto(workstation=w, image="workstations/test.jpg") for w in more
    )
    Membership.objects.bulk_create(
        Membership(member=members[0], workstation=w, role=Membership.Role.CONVENER) for w in more
    )
    # Written in bulk behind the services: count the summary again, as a rebuild would.
    counts.rebuild([p.county.pk])


def fresh() -> None:
    """Nothing kept: neither in the shared cache nor in this process."""
    cache.clear()
    forget_tenants()


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_queries_do_not_grow_with_the_data(client, portal, name, django_assert_max_num_queries):
    url, _ = public_pages(portal)[name]
    grow(portal, 5, start=0)
    fresh()  # the page as a first visitor gets it, nothing cached
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        assert client.get(url).status_code == 200
    grow(portal, 495, start=5)
    assert Activity.objects.published().count() >= 500
    fresh()
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), f"{url}: {len(few)} queries with 5, {len(many)} with 500"
