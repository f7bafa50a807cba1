"""`manage.py load_demo`: the full demo, loaded once for this module and rolled back after it."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.test import Client
from django.utils import timezone

from config.demo.base import DEMO_REASON
from config.demo.builder import DEMO_PASSWORD
from config.demo.people import id_check_digit
from consultations.models import (
    Activity,
    ActivityPhoto,
    ActivityReview,
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
    StandardCheck,
    StandardItem,
    Workstation,
    WorkstationPhoto,
)

pytestmark = pytest.mark.django_db

COUNTED = [
    Committee,
    Area,
    Workstation,
    WorkstationPhoto,
    StandardCheck,
    Member,
    Membership,
    StaffRole,
    get_user_model(),
    Activity,
    ActivityPhoto,
    Consultation,
    ConsultationStep,
    MediaReport,
    PublicMessage,
    Outcome,
    OutcomeEvent,
    Endorsement,
]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The real, full demo load, once for the whole module, undone when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_the_three_counties_sit_under_their_cities_and_provinces(demo):
    expected = {
        "hanshan": ("含您协商", "马鞍山市政协", "安徽省政协"),
        "huimin": ("有事多商量·惠协商", "滨州市政协", "山东省政协"),
        "tongguan": ("同您协商·议关键事", "铜陵市政协", "安徽省政协"),
    }
    for slug, (brand, city, province) in expected.items():
        county = Committee.objects.get(slug=slug)
        assert county.level == Committee.Level.COUNTY
        assert county.brand_name == brand
        assert county.intro and county.slogan and county.logo
        assert (county.parent.name, county.parent.level) == (city, Committee.Level.CITY)
        assert county.parent.parent.name == province
        assert county.parent.parent.level == Committee.Level.PROVINCE
        # committee_seed_defaults ran: sectors, the standards and the activity types.
        assert county.sectors.filter(name="医药卫生界").exists()
        assert set(county.standards.values_list("name", flat=True)) >= {"六有", "六上墙"}
        assert county.activity_types.filter(code="micro_consultation").exists()


def test_hanshan_has_the_figures_of_its_report(demo):
    hanshan = Committee.objects.get(slug="hanshan")
    workstations = Workstation.objects.filter(committee=hanshan)
    kinds = dict(workstations.values_list("kind").annotate(n=Count("pk")))
    assert kinds == {
        Workstation.Kind.SECTOR_ROOM: 12,
        Workstation.Kind.MEMBER_WORKSTATION: 16,
        Workstation.Kind.CONSULTATION_ROOM: 4,
    }
    members_ws = workstations.filter(kind=Workstation.Kind.MEMBER_WORKSTATION)
    assert members_ws.filter(category=Workstation.Category.FEATURED).count() == 7
    area_ws = members_ws.filter(category=Workstation.Category.AREA)
    assert set(area_ws.values_list("area__name", flat=True)) == {
        "环峰镇",
        "运漕镇",
        "铜闸镇",
        "陶厂镇",
        "林头镇",
        "清溪镇",
        "仙踪镇",
        "昭关镇",
        "含山经济开发区",
    }
    assert workstations.exclude(kind=Workstation.Kind.CONSULTATION_ROOM).count() == 28
    assert workstations.filter(name__in=["鲁班委员工作室", "法润吴楚委员工作室"]).count() == 2
    assert Member.objects.filter(committee=hanshan).count() == 173
    bulletins = Outcome.objects.filter(committee=hanshan, kind=Outcome.Kind.BULLETIN)
    assert bulletins.count() == 25


@pytest.mark.parametrize("slug", ["hanshan", "huimin", "tongguan"])
def test_every_member_sits_somewhere_and_every_workstation_has_one_convener(demo, slug):
    county = Committee.objects.get(slug=slug)
    members = Member.objects.filter(committee=county)
    assert not members.filter(memberships__isnull=True).exists()
    conveners = Workstation.objects.filter(committee=county).annotate(
        n=Count("memberships", filter=Q(memberships__role=Membership.Role.CONVENER))
    )
    assert set(conveners.values_list("n", flat=True)) == {1}
    if slug != "hanshan":
        assert 15 <= Workstation.objects.filter(committee=county).count() <= 25
        assert 80 <= members.count() <= 150


def test_members_numbers_are_well_formed_and_unique(demo):
    members = list(Member.objects.all())
    ids = [m.id_number for m in members]
    mobiles = [m.mobile for m in members]
    assert len(set(ids)) == len(ids) and len(set(mobiles)) == len(mobiles)
    for member in members:
        assert id_check_digit(member.id_number[:17]) == member.id_number[17]
    for member in members[::15]:
        member.full_clean()


def test_the_mix_of_members_is_believable(demo):
    hanshan = Member.objects.filter(committee__slug="hanshan")
    parties = dict(hanshan.values_list("party").annotate(n=Count("pk")))
    assert 0.3 < parties[Member.Party.CPC] / 173 < 0.5  # a minority of party members
    assert sum(n for p, n in parties.items() if p not in ("cpc", "nonparty", "masses")) >= 25
    assert hanshan.filter(level__in=[Member.Level.CITY, Member.Level.PROVINCE]).exists()
    assert 15 <= hanshan.filter(is_standing_committee=True).count() <= 35
    assert hanshan.filter(gender=Member.Gender.FEMALE).count() >= 35


@pytest.mark.parametrize(
    ("username", "role", "county"),
    [
        ("admin", "superuser", None),
        ("hanshan_office", "staff", "hanshan"),
        ("huimin_office", "staff", "huimin"),
        ("tongguan_office", "staff", "tongguan"),
        ("hanshan_convener", "convener", "hanshan"),
        ("hanshan_member", "member", "hanshan"),
    ],
)
def test_every_demo_account_signs_in_with_the_demo_password(demo, username, role, county):
    assert Client().login(username=username, password=DEMO_PASSWORD)
    user = get_user_model().objects.get(username=username)
    if role == "superuser":
        assert user.is_superuser and user.is_staff
    elif role == "staff":
        assert user.is_staff and not user.is_superuser
        staff = user.staff_role
        assert staff.committee.slug == county
        assert staff.role == StaffRole.Role.ADMINISTRATOR
        assert staff.can_import and staff.can_export
    else:
        assert not user.is_staff
        places = user.member.memberships.select_related("workstation__committee")
        assert {p.workstation.committee.slug for p in places} == {county}
        at_taochang = places.get(workstation__slug="taochang")
        expected = Membership.Role.CONVENER if role == "convener" else Membership.Role.RESIDENT
        assert at_taochang.role == expected
    assert username in demo  # printed on the console


def test_the_convener_and_the_member_sit_in_the_same_workstation(demo):
    convener = Member.objects.get(user__username="hanshan_convener")
    member = Member.objects.get(user__username="hanshan_member")
    assert Membership.objects.filter(
        workstation__memberships__member=convener, member=member
    ).exists()
    assert not member.memberships.exclude(role=Membership.Role.RESIDENT).exists()


def test_the_console_shows_the_accounts_and_the_addresses(demo):
    assert DEMO_PASSWORD in demo
    assert "http://127.0.0.1:8000/" in demo and "http://127.0.0.1:8000/admin/" in demo


def test_nothing_is_dated_in_the_future(demo):
    today, now = timezone.localdate(), timezone.now()
    assert not Activity.objects.filter(date__gt=today).exists()
    assert not Activity.objects.filter(Q(submitted_at__gt=now) | Q(approved_at__gt=now)).exists()
    assert not Consultation.objects.filter(opened_on__gt=today).exists()
    assert not ConsultationStep.objects.filter(date__gt=today).exists()
    assert not Outcome.objects.filter(submitted_on__gt=today).exists()
    assert not OutcomeEvent.objects.filter(date__gt=today).exists()
    assert not Endorsement.objects.filter(date__gt=today).exists()
    assert not MediaReport.objects.filter(published_on__gt=today).exists()
    assert not PublicMessage.objects.filter(
        Q(created_at__gt=now) | Q(replied_at__gt=now) | Q(closed_at__gt=now)
    ).exists()
    # A year of activities, no older than December of last year.
    oldest = Activity.objects.order_by("date").first().date
    assert oldest >= datetime.date(today.year - 1, today.month, 1) - datetime.timedelta(days=31)


def test_consultations_record_every_step_reached_in_order(demo):
    for consultation in Consultation.objects.prefetch_related("steps"):
        steps = sorted(consultation.steps.all(), key=lambda s: s.step)
        assert [s.step for s in steps] == list(range(1, consultation.stage + 1))
        dates = [s.date for s in steps]
        assert dates == sorted(dates) and dates[0] == consultation.opened_on
    stages = set(Consultation.objects.values_list("stage", flat=True))
    assert stages == set(range(1, 9))
    sources = set(Consultation.objects.values_list("topic_source", flat=True))
    assert sources == set(Consultation.TopicSource.values)
    assert Consultation.objects.filter(source_message__isnull=False).exists()
    assert Consultation.objects.filter(problem_solved=True).exists()


def test_the_proportions_are_believable(demo):
    activities = Activity.objects.all()
    approved = activities.filter(status=Activity.Status.APPROVED).count()
    assert approved / activities.count() > 0.85
    assert set(activities.values_list("status", flat=True)) == set(Activity.Status.values)
    five_micro = activities.filter(type__is_five_micro=True).count()
    assert five_micro / activities.count() > 0.45
    assert set(PublicMessage.objects.values_list("status", flat=True)) == set(
        PublicMessage.Status.values
    )
    ratings = list(PublicMessage.objects.exclude(rating=None).values_list("rating", flat=True))
    assert sum(r >= 4 for r in ratings) / len(ratings) > 0.7
    assert set(Outcome.objects.values_list("kind", flat=True)) == set(Outcome.Kind.values)
    assert set(OutcomeEvent.objects.values_list("kind", flat=True)) == set(OutcomeEvent.Kind.values)
    assert OutcomeEvent.objects.filter(money__gt=0).exists()
    assert Endorsement.objects.filter(level=Endorsement.Level.CITY).exists()
    typical = Outcome.objects.filter(kind=Outcome.Kind.TYPICAL_CASE).first()
    assert all(
        [
            typical.background,
            typical.participants_text,
            typical.process,
            typical.opinions,
            typical.effect,
        ]
    )
    checks = StandardCheck.objects.all()
    assert checks.count() == sum(
        StandardItem.objects.filter(standard__committee=w.committee).count()
        for w in Workstation.objects.all()
    )
    assert checks.filter(state=StandardCheck.State.MET).count() / checks.count() > 0.8


def test_workstations_with_activities_fall_behind_now_and_then(demo):
    """The rhythm board has something to show: not everyone met 一月一活动 every month."""
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    quiet = Workstation.objects.exclude(
        activities__date__gte=last_month.replace(day=1), activities__date__lte=last_month
    )
    assert 0 < quiet.count() < Workstation.objects.count() / 2


def test_photos_are_stored_with_their_thumbnails(demo):
    photos = ActivityPhoto.objects.all()
    assert 100 < photos.count() < 500
    for photo in photos.order_by("pk")[:20]:
        # Public or private by their activity's state: each file's own storage finds it.
        assert photo.image.storage.exists(photo.image.name)
        assert photo.thumbnail.storage.exists(photo.thumbnail.name)
    assert set(Workstation.objects.annotate(n=Count("photos")).values_list("n", flat=True)) == {1}


def test_a_sample_of_every_kind_of_row_passes_full_clean(demo):
    for model in (
        Area,
        Workstation,
        Membership,
        Activity,
        Consultation,
        ConsultationStep,
        PublicMessage,
        Outcome,
        OutcomeEvent,
        Endorsement,
        StandardCheck,
        MediaReport,
    ):
        # Fifteen rows spread evenly over the table, the same ones every run.
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
        for obj in model.objects.filter(pk__in=pks[:: max(1, len(pks) // 15)][:15]):
            obj.full_clean()


# --- Only states the product allows: what the services would make ------------------------------


def test_every_activity_has_the_review_trail_of_its_status(demo):
    Action = ActivityReview.Action  # noqa: N806
    expected = {
        Activity.Status.DRAFT: [],
        Activity.Status.SUBMITTED: [Action.SUBMITTED],
        Activity.Status.RETURNED: [Action.SUBMITTED, Action.RETURNED],
        Activity.Status.APPROVED: [Action.SUBMITTED, Action.APPROVED],
    }
    for activity in Activity.objects.prefetch_related("reviews"):
        reviews = list(activity.reviews.all())  # ordered by time
        assert [r.action for r in reviews] == expected[activity.status], activity.pk
        assert [r.at for r in reviews] == sorted(r.at for r in reviews)
        if activity.status == Activity.Status.APPROVED:
            assert reviews[-1].at == activity.approved_at and activity.approved_by_id
        if activity.status == Activity.Status.RETURNED:
            assert reviews[-1].comment and reviews[-1].comment == activity.review_comment
        if activity.status != Activity.Status.DRAFT:
            assert reviews[0].at == activity.submitted_at and activity.description


def test_activities_list_only_members_of_their_workstation(demo):
    outsiders = Activity.participants.through.objects.exclude(
        member__memberships__workstation=F("activity__workstation")
    )
    assert not outsiders.exists()
    assert not Activity.objects.exclude(author__memberships__workstation=F("workstation")).exists()


def test_only_approved_activities_have_media_reports(demo):
    reported = MediaReport.objects.filter(activity__isnull=False)
    assert reported.exists()
    assert not reported.exclude(activity__status=Activity.Status.APPROVED).exists()


def test_photos_stay_within_the_limit_under_names_the_server_made(demo):
    counts = ActivityPhoto.objects.values("activity").annotate(n=Count("pk"))
    assert max(c["n"] for c in counts) <= 9
    for photo in ActivityPhoto.objects.order_by("pk")[:10]:
        assert re.fullmatch(r"[0-9a-f]{32}\.jpg", photo.image.name.rsplit("/", 1)[-1])


def test_every_answered_or_closed_message_has_its_reply_and_dates_in_order(demo):
    handled = PublicMessage.objects.filter(
        status__in=[PublicMessage.Status.ANSWERED, PublicMessage.Status.CLOSED]
    )
    assert handled.exists()
    for message in handled:
        assert message.reply and message.replied_at, message.pk
        assert message.created_at <= message.replied_at
        if message.status == PublicMessage.Status.CLOSED:
            assert message.replied_at <= message.closed_at
        if message.rating is not None:
            assert message.closed_at <= message.rated_at
    unhandled = PublicMessage.objects.exclude(
        status__in=[PublicMessage.Status.ANSWERED, PublicMessage.Status.CLOSED]
    )
    assert not unhandled.filter(Q(closed_at__isnull=False) | Q(rating__isnull=False)).exists()
    assert not PublicMessage.objects.filter(rating__isnull=False, rated_at__isnull=True).exists()


def test_a_message_taken_up_as_a_topic_is_being_handled(demo):
    taken = PublicMessage.objects.filter(consultations__isnull=False)
    assert taken.exists()
    assert not taken.filter(status=PublicMessage.Status.NEW).exists()
    for consultation in Consultation.objects.exclude(source_message=None):
        assert consultation.source_message.workstation_id == consultation.workstation_id
        assert timezone.localdate(consultation.source_message.created_at) < consultation.opened_on


def test_a_consultation_stands_at_its_highest_recorded_step(demo):
    consultations = Consultation.objects.annotate(highest=Max("steps__step"))
    assert not consultations.exclude(stage=F("highest")).exists()
    assert not ConsultationStep.objects.filter(date__lt=F("consultation__opened_on")).exists()
    outsiders = ConsultationStep.members.through.objects.exclude(
        member__memberships__workstation=F("consultationstep__consultation__workstation")
    )
    assert not outsiders.exists()
    # A problem is solved once its solution was put into effect.
    solved = Consultation.objects.filter(problem_solved=True)
    assert not solved.filter(stage__lt=Consultation.Step.IMPLEMENTATION).exists()


def test_trail_entries_follow_only_submitted_outcomes_from_their_submission(demo):
    for model in (OutcomeEvent, Endorsement):
        entries = model.objects.all()
        assert entries.exists()
        assert not entries.exclude(outcome__status=Outcome.Status.SUBMITTED).exists()
        assert not entries.filter(date__lt=F("outcome__submitted_on")).exists()
    adopted = OutcomeEvent.objects.filter(kind=OutcomeEvent.Kind.ADOPTED)
    assert not adopted.filter(adopted_by="").exists()


def test_outcomes_have_member_authors_except_the_offices_bulletins(demo):
    no_author = Outcome.objects.filter(authors=None)
    assert no_author.exists()
    assert set(no_author.values_list("kind", flat=True)) == {Outcome.Kind.BULLETIN}
    assert not no_author.exclude(status=Outcome.Status.SUBMITTED).exists()
    authors = Outcome.authors.through.objects
    assert not authors.exclude(member__committee=F("outcome__committee")).exists()
    submitted = Outcome.objects.filter(status=Outcome.Status.SUBMITTED)
    assert not submitted.filter(summary="", body="").exists()


@pytest.mark.parametrize(
    "model", [Activity, Consultation, ConsultationStep, PublicMessage, Outcome]
)
def test_every_record_has_its_history(demo, model):
    recorded = model.history.filter(history_change_reason=DEMO_REASON)
    assert set(recorded.values_list("id", flat=True)) == set(
        model.objects.values_list("pk", flat=True)
    )


def test_running_it_twice_changes_no_counts(demo):
    before = _counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _counts() == before
    assert "already loaded" in out.getvalue()


def test_if_empty_does_nothing_when_there_are_committees(demo):
    before = _counts()
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert _counts() == before
    assert out.getvalue().count("\n") == 1
