"""Factories for every model. Tests build what they need from these; personas are in conftest."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from consultations.models import (
    Activity,
    ActivityType,
    Consultation,
    ConsultationStep,
    MediaReport,
    PublicMessage,
)
from members.models import Member, Membership, StaffRole
from outcomes.models import Endorsement, Outcome, OutcomeEvent
from workstations.models import (
    Area,
    Committee,
    Sector,
    Standard,
    StandardCheck,
    StandardItem,
    Workstation,
)

PASSWORD = "shangliang-test"


class Tallied(factory.django.DjangoModelFactory):
    """A factory of records the figures count: like the services, it brings the summary
    (``Tally``) up to date once the record is made, so that pages read what the test made."""

    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            from consultations.tallies import refresh_for as refresh_consultations
            from outcomes.tallies import refresh_for as refresh_outcomes

            refresh_consultations([instance])
            refresh_outcomes([instance])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"第{n}县政协")
    level = Committee.Level.COUNTY
    slug = factory.Sequence(lambda n: f"county{n}")
    parent = factory.LazyAttribute(
        lambda c: (
            CommitteeFactory(
                level=Committee.Level.CITY,
                slug=f"{c.slug}-city",
                name=f"{c.name}所在市政协",
                parent=CommitteeFactory(
                    level=Committee.Level.PROVINCE,
                    slug=f"{c.slug}-province",
                    name=f"{c.name}所在省政协",
                    parent=None,
                ),
            )
            if c.level == Committee.Level.COUNTY
            else None
        )
    )
    brand_name = factory.LazyAttribute(
        lambda c: f"{c.name}协商" if c.level == Committee.Level.COUNTY else ""
    )


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"第{n}镇")
    kind = Area.Kind.TOWN


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("committee", "name")

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"界别{n}")


class WorkstationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstation

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"第{n}委员工作室")
    slug = factory.Sequence(lambda n: f"ws{n}")
    kind = Workstation.Kind.MEMBER_WORKSTATION
    category = Workstation.Category.AREA
    area = factory.LazyAttribute(lambda w: AreaFactory(committee=w.committee))
    address = "城关镇人民路1号"
    reception_hours = "每月15日 9:00–11:30"
    is_published = True


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"标准{n}")


class StandardItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardItem

    standard = factory.SubFactory(StandardFactory)
    name = factory.Sequence(lambda n: f"有场所{n}")


class StandardCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardCheck

    workstation = factory.SubFactory(WorkstationFactory)
    item = factory.LazyAttribute(
        lambda c: StandardItemFactory(standard=StandardFactory(committee=c.workstation.committee))
    )
    state = StandardCheck.State.MET


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"委员{n}")
    gender = Member.Gender.FEMALE
    party = Member.Party.NON_PARTY
    workplace = "县人民医院"
    title = "主任医师"
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    id_number = factory.Sequence(lambda n: f"340522{19700101 + n:08d}{n % 10000:04d}"[:18])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    member = factory.SubFactory(MemberFactory)
    workstation = factory.LazyAttribute(lambda m: WorkstationFactory(committee=m.member.committee))
    role = Membership.Role.RESIDENT
    since = datetime.date(2024, 1, 1)


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory, is_staff=True)
    committee = factory.SubFactory(CommitteeFactory)
    role = StaffRole.Role.ADMINISTRATOR
    can_import = True
    can_export = True


class ActivityTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityType
        django_get_or_create = ("committee", "code")

    committee = factory.SubFactory(CommitteeFactory)
    code = "micro_lecture"
    name = "微宣讲"
    is_five_micro = True


class ActivityFactory(Tallied):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    workstation = factory.SubFactory(WorkstationFactory)
    type = factory.LazyAttribute(lambda a: ActivityTypeFactory(committee=a.workstation.committee))
    title = factory.Sequence(lambda n: f"政策宣讲进社区{n}")
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    place = "社区议事厅"
    residents_served = 30
    description = "委员向居民宣讲医保政策。"
    status = Activity.Status.APPROVED
    submitted_at = factory.LazyFunction(timezone.now)
    approved_at = factory.LazyAttribute(
        lambda a: timezone.now() if a.status == Activity.Status.APPROVED else None
    )

    @factory.post_generation
    def participants(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.participants.set(extracted)


class PublicMessageFactory(Tallied):
    class Meta:
        model = PublicMessage

    workstation = factory.SubFactory(WorkstationFactory)
    name = "王女士"
    mobile = "13900001111"
    category = PublicMessage.Category.TRAFFIC
    text = "小区门口的路灯坏了两个月，晚上出行不便。"


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    workstation = factory.SubFactory(WorkstationFactory)
    topic = factory.Sequence(lambda n: f"老旧小区加装电梯议题{n}")
    topic_source = Consultation.TopicSource.RESIDENTS
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    is_published = True


class ConsultationStepFactory(Tallied):
    class Meta:
        model = ConsultationStep

    consultation = factory.SubFactory(ConsultationFactory)
    step = Consultation.Step.RESEARCH
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=20))
    summary = "走访住户六十户，听取意见。"


class MediaReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaReport

    activity = factory.SubFactory(ActivityFactory)
    outlet = "县融媒体中心"
    title = factory.Sequence(lambda n: f"委员进社区报道{n}")
    url = "https://example.org/news/1"


class OutcomeFactory(Tallied):
    class Meta:
        model = Outcome
        skip_postgeneration_save = True

    committee = factory.SubFactory(CommitteeFactory)
    workstation = factory.LazyAttribute(lambda o: WorkstationFactory(committee=o.committee))
    kind = Outcome.Kind.PUBLIC_OPINION
    title = factory.Sequence(lambda n: f"关于改善农村饮水安全的建议{n}")
    summary = "建议加快农村供水管网改造。"
    status = Outcome.Status.SUBMITTED
    submitted_to = "县委办"
    submitted_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    is_published = True

    @factory.post_generation
    def authors(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.authors.set(extracted)


class OutcomeEventFactory(Tallied):
    class Meta:
        model = OutcomeEvent

    outcome = factory.SubFactory(OutcomeFactory)
    kind = OutcomeEvent.Kind.ADOPTED
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    adopted_by = "县委办"


class EndorsementFactory(Tallied):
    class Meta:
        model = Endorsement

    outcome = factory.SubFactory(OutcomeFactory)
    leader = "张某某"
    leader_title = "县委书记"
    level = Endorsement.Level.COUNTY
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
    text = "请相关部门认真研究落实。"
