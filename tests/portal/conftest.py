"""A county with things the public may see and things it must never see, side by side.

Every secret carries a marker string (``SECRET``) or a private value (a mobile, an ID number)
that the page-by-page tests look for in every public page.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from consultations.models import Activity, Consultation, PublicMessage
from members.models import Membership
from outcomes.models import OutcomeEvent
from tests.factories import (
    ActivityFactory,
    ActivityTypeFactory,
    ConsultationFactory,
    ConsultationStepFactory,
    EndorsementFactory,
    MediaReportFactory,
    MemberFactory,
    MembershipFactory,
    OutcomeEventFactory,
    OutcomeFactory,
    PublicMessageFactory,
    SectorFactory,
    StandardCheckFactory,
    StandardFactory,
    StandardItemFactory,
    WorkstationFactory,
)

# Private values of members and residents: none may appear on a public page.
PRIVATE_VALUES = [
    "13911112222",  # a member's mobile
    "340522197101011234",  # a member's ID number
    "1971",  # a member's year of birth
    "13700009999",  # a resident's mobile
    "hanshan_convener@example.org",  # a member's login e-mail
]
SECRET = "SECRET"


@pytest.fixture
def client():
    """The public, reading in English: the assertions do not depend on the translations."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and used challenges live in the cache; each test starts afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def portal(hanshan, huimin) -> SimpleNamespace:
    """含山 with published and unpublished things of every kind, and 惠民 beside it."""
    county = hanshan.committee
    today = timezone.localdate()
    ws = hanshan.workstation
    ws.intro = "含山第一委员工作室，服务城关镇居民。"
    ws.sector = SectorFactory(committee=county, name="医药卫生界")
    ws.save()

    member = hanshan.member
    member.mobile, member.id_number, member.birth_year = "13911112222", "340522197101011234", 1971
    member.sector = ws.sector
    member.save()

    hidden_ws = WorkstationFactory(
        committee=county, name=f"{SECRET}未发布工作室", slug="hidden-ws", is_published=False
    )
    hidden_member = MemberFactory(committee=county, name=f"{SECRET}委员")
    MembershipFactory(member=hidden_member, workstation=hidden_ws, role=Membership.Role.CONVENER)
    past_member = MemberFactory(committee=county, name=f"{SECRET}离任委员")
    MembershipFactory(
        member=past_member,
        workstation=ws,
        since=datetime.date(2020, 1, 1),
        until=datetime.date(2021, 1, 1),
    )

    type_ = ActivityTypeFactory(committee=county)
    activity = ActivityFactory(
        workstation=ws,
        type=type_,
        title="政策宣讲进社区",
        date=today,
        residents_served=40,
        participants=[member, hanshan.convener],
    )
    MediaReportFactory(activity=activity, title="委员进社区报道")
    secret_activities = [
        ActivityFactory(
            workstation=ws, type=type_, title=f"{SECRET}{status}活动", status=status, date=today
        )
        for status in (
            Activity.Status.DRAFT,
            Activity.Status.SUBMITTED,
            Activity.Status.RETURNED,
        )
    ]
    secret_activities.append(
        ActivityFactory(
            workstation=hidden_ws, type=type_, title=f"{SECRET}未发布工作室的活动", date=today
        )
    )

    consultation = ConsultationFactory(
        workstation=ws, topic="老旧小区加装电梯", stage=Consultation.Step.MEETING, opened_on=today
    )
    ConsultationStepFactory(
        consultation=consultation, step=Consultation.Step.RESEARCH, summary="走访住户六十户。"
    )
    # It has reached its meeting, so the meeting is on record (today's: this year's figures).
    ConsultationStepFactory(
        consultation=consultation, step=Consultation.Step.MEETING, date=today, summary="协商会。"
    )
    secret_consultation = ConsultationFactory(
        workstation=ws, topic=f"{SECRET}未发布议题", is_published=False
    )

    outcome = OutcomeFactory(
        committee=county,
        workstation=ws,
        consultation=consultation,
        title="关于加装电梯的协商报告",
        submitted_on=today,
        authors=[member],
    )
    OutcomeEventFactory(outcome=outcome, kind=OutcomeEvent.Kind.IMPLEMENTED, date=today)
    EndorsementFactory(outcome=outcome, date=today)
    secret_outcomes = [
        OutcomeFactory(
            committee=county,
            workstation=ws,
            title=f"{SECRET}草稿成果",
            status="draft",
            submitted_on=None,
        ),
        OutcomeFactory(
            committee=county, workstation=ws, title=f"{SECRET}未公开成果", is_published=False
        ),
        OutcomeFactory(committee=county, workstation=hidden_ws, title=f"{SECRET}未发布工作室成果"),
    ]

    answered = PublicMessageFactory(
        workstation=ws,
        name=f"{SECRET}留言人",
        mobile="13700009999",
        text="路灯坏了。",
        status=PublicMessage.Status.ANSWERED,
        reply="已联系供电所修复。",
        reply_may_be_published=True,
        replied_at=timezone.now(),
    )
    private_reply = PublicMessageFactory(
        workstation=ws,
        mobile="13700009999",
        text=f"{SECRET}不公开答复的留言",
        status=PublicMessage.Status.ANSWERED,
        reply=f"{SECRET}不公开的答复",
        reply_may_be_published=False,
    )
    hidden_message = PublicMessageFactory(
        workstation=ws,
        mobile="13700009999",
        text=f"{SECRET}被屏蔽的留言",
        status=PublicMessage.Status.HIDDEN,
        reply=f"{SECRET}被屏蔽的答复",
        reply_may_be_published=True,
    )

    standard = StandardFactory(committee=county, name="六有")
    item = StandardItemFactory(standard=standard, name="有场所")
    StandardItemFactory(standard=standard, name="有标识")
    StandardCheckFactory(workstation=ws, item=item)

    return SimpleNamespace(
        county=county,
        other=huimin,
        hanshan=hanshan,
        workstation=ws,
        hidden_workstation=hidden_ws,
        member=member,
        hidden_member=hidden_member,
        past_member=past_member,
        activity=activity,
        secret_activities=secret_activities,
        consultation=consultation,
        secret_consultation=secret_consultation,
        outcome=outcome,
        secret_outcomes=secret_outcomes,
        answered=answered,
        private_reply=private_reply,
        hidden_message=hidden_message,
        type=type_,
    )
