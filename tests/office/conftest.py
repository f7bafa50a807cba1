"""Fixtures for the office pages: 含山 and 惠民 with the default rhythm, point rules and
criteria in force since last January, and records of last year (every period of it closed) in
both, each marked with the county's name so that a page or a workbook can be searched for the
other county."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from consultations.models import ActivityType, Consultation
from consultations.services.setup import committee_seed_activity_types
from outcomes.models import AssessmentAdjustment, Outcome
from outcomes.services.setup import committee_seed_rhythm
from tests.factories import (
    ActivityFactory,
    ConsultationFactory,
    ConsultationStepFactory,
    EndorsementFactory,
    OutcomeFactory,
)

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


def D(month: int, day: int) -> datetime.date:  # noqa: N802
    """A day of last year."""
    return datetime.date(LAST_YEAR, month, day)


def _records(ns: SimpleNamespace, marker: str) -> SimpleNamespace:
    county = ns.committee
    committee_seed_activity_types(committee=county)
    committee_seed_rhythm(committee=county, effective_from=datetime.date(LAST_YEAR, 1, 1))
    lecture = ActivityType.objects.get(committee=county, code="micro_lecture")
    # The first workstation meets 一月一活动 in March and May; the second never does.
    ns.march = ActivityFactory(
        workstation=ns.workstation,
        type=lecture,
        title=f"{marker}三月宣讲",
        date=D(3, 10),
        participants=[ns.member, ns.convener],
    )
    ns.may = ActivityFactory(
        workstation=ns.workstation,
        type=lecture,
        title=f"{marker}五月宣讲",
        date=D(5, 20),
        participants=[ns.member],
    )
    consultation = ConsultationFactory(workstation=ns.workstation, topic=f"{marker}加装电梯议题")
    ConsultationStepFactory(
        consultation=consultation, step=Consultation.Step.MEETING, date=D(2, 14)
    )
    ns.report = OutcomeFactory(
        committee=county,
        workstation=ns.workstation,
        kind=Outcome.Kind.CONSULTATION_REPORT,
        title=f"{marker}协商报告",
        submitted_on=D(6, 1),
        authors=[ns.member],
    )
    EndorsementFactory(outcome=ns.report, date=D(6, 15), leader_title=f"{marker}县委书记")
    ns.adjustment = AssessmentAdjustment.objects.create(
        workstation=ns.other_workstation,
        year=LAST_YEAR,
        points=2,
        reason=f"{marker}承办全市现场会",
        made_by=ns.staff,
    )
    ns.marker = marker
    return ns


@pytest.fixture
def office(hanshan, huimin) -> SimpleNamespace:
    """含山 (``office.hanshan``) and 惠民 (``office.huimin``) with last year's records."""
    return SimpleNamespace(hanshan=_records(hanshan, "含山"), huimin=_records(huimin, "惠民"))


# --- A county of realistic size, for query bounds and screenshots ------------------------------

TOWNS = ["环峰镇", "运漕镇", "铜闸镇", "陶厂镇", "林头镇", "仙踪镇", "清溪镇", "昭关镇"]
SECTORS = ["医药卫生界", "教育体育界", "经济界", "农业界", "妇联界"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "秀英", "志强", "丽华", "海燕", "春生", "玉兰", "晓东", "文明", "红梅", "德才"]


def populate_county(
    committee, *, workstations: int, year: int, seed: int = 7, first: int = 1
) -> SimpleNamespace:
    """``workstations`` workstations in eight towns with two members each, and a year of records:
    most workstations hold an activity most months, a consultation most quarters, and some
    submit a report. Records stop at today in the running year."""
    import random

    from consultations.models import Activity, ConsultationStep, PublicMessage
    from members.models import Member, Membership
    from workstations.models import Area, Sector, Workstation

    rng = random.Random(seed)
    committee_seed_activity_types(committee=committee)
    committee_seed_rhythm(committee=committee, effective_from=datetime.date(year, 1, 1))
    # Requirements in force from the first of the year, even if a fixture seeded them later.
    committee.requirements.update(effective_from=datetime.date(year, 1, 1))
    types = list(ActivityType.objects.filter(committee=committee))
    areas = [
        Area.objects.get_or_create(committee=committee, name=t, defaults={"kind": "town"})[0]
        for t in TOWNS
    ]
    sectors = [Sector.objects.get_or_create(committee=committee, name=s)[0] for s in SECTORS]
    kinds = [Workstation.Kind.MEMBER_WORKSTATION] * 4 + [Workstation.Kind.CONSULTATION_ROOM]
    stations = Workstation.objects.bulk_create(
        Workstation(
            committee=committee,
            name=f"{areas[i % 8].name}{SECTORS[i % 5][:2]}委员工作室{i + first}",
            slug=f"{committee.slug}-ws-{i + first}",
            kind=kinds[i % 5],
            category=Workstation.Category.AREA,
            area=areas[i % 8],
            sector=sectors[i % 5],
            is_published=True,
        )
        for i in range(workstations)
    )
    members = Member.objects.bulk_create(
        Member(
            committee=committee,
            name=f"{SURNAMES[i % len(SURNAMES)]}{GIVEN[i % len(GIVEN)]}{i // 20 or ''}",
            sector=sectors[i % 5],
        )
        for i in range(workstations * 2)
    )
    Membership.objects.bulk_create(
        Membership(
            member=m,
            workstation=stations[i // 2],
            role=Membership.Role.CONVENER if i % 2 == 0 else Membership.Role.RESIDENT,
            since=datetime.date(year - 1, 1, 1),
        )
        for i, m in enumerate(members)
    )
    today = timezone.localdate()
    last_month = 12 if year < today.year else today.month
    activities = []
    for ws_index, ws in enumerate(stations):
        keen = rng.random()
        for month in range(1, last_month + 1):
            if rng.random() > 0.35 + keen * 0.6:
                continue
            for _ in range(rng.randint(1, 3)):
                day = datetime.date(year, month, rng.randint(1, 28))
                if day > today:
                    continue
                activities.append(
                    Activity(
                        workstation=ws,
                        type=rng.choice(types),
                        title=f"{ws.name}{month}月活动",
                        date=day,
                        residents_served=rng.randint(10, 80),
                        status=Activity.Status.APPROVED,
                        submitted_at=timezone.now(),
                        approved_at=timezone.now(),
                        author=members[ws_index * 2],
                    )
                )
    activities = Activity.objects.bulk_create(activities)
    through = Activity.participants.through
    through.objects.bulk_create(
        through(activity_id=a.pk, member_id=members[stations.index(a.workstation) * 2 + k].pk)
        for a in activities
        for k in range(rng.randint(1, 2))
    )
    steps = []
    for ws in stations:
        for quarter in range(4):
            month = quarter * 3 + 2
            day = datetime.date(year, month, 15)
            if day > today or rng.random() > 0.7:
                continue
            c = Consultation.objects.create(
                workstation=ws, topic=f"{ws.name}第{quarter + 1}季度议题", opened_on=day
            )
            steps.append(
                ConsultationStep(
                    consultation=c, step=Consultation.Step.MEETING, date=day, summary="协商会"
                )
            )
    ConsultationStep.objects.bulk_create(steps)
    for i, ws in enumerate(stations[::3]):
        day = datetime.date(year, 6 + i % 4, 10)
        if day <= today:
            Outcome.objects.create(
                committee=committee,
                workstation=ws,
                kind=Outcome.Kind.CONSULTATION_REPORT,
                title=f"{ws.name}协商报告",
                status=Outcome.Status.SUBMITTED,
                submitted_on=day,
            )
    PublicMessage.objects.bulk_create(
        PublicMessage(
            workstation=ws,
            name="居民",
            mobile="13900001111",
            text="路灯坏了",
            category=PublicMessage.Category.TRAFFIC,
            status=PublicMessage.Status.CLOSED,
            rating=rng.choice([3, 4, 5, 5]),
            rated_at=timezone.make_aware(datetime.datetime(year, rng.randint(1, last_month), 5)),
        )
        for ws in stations[: workstations // 2]
    )
    return SimpleNamespace(workstations=stations, members=members, activities=activities)
