"""`manage.py generate_scale_data`: a tiny province, generated once for this module on the test
database (SQLite or PostgreSQL) and rolled back after it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef
from django.test import Client
from django.utils import timezone

from config.demo.builder import DEMO_PASSWORD
from config.demo.scale import plan, province_totals
from consultations.models import (
    Activity,
    ActivityReview,
    Consultation,
    ConsultationStep,
    PublicMessage,
)
from members.models import Member, Membership, StaffRole
from outcomes.models import Endorsement, Outcome, OutcomeEvent
from workstations.models import Committee, CountyTally, Workstation
from workstations.search import matching
from workstations.tenancy import subtree_ids

pytestmark = pytest.mark.django_db

SCALE = 0.01


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    """The demo and a tiny province on top of it, once for the module, undone after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("generate_scale_data", "--scale", str(SCALE), stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def _anhui() -> Committee:
    return Committee.objects.get(slug=plan.PROVINCE)


def test_the_province_has_its_cities_counties_and_records(province):
    anhui = _anhui()
    totals = plan.scaled(SCALE)
    assert anhui.brand_name  # /anhui/ is a brand's page
    cities = Committee.objects.filter(parent=anhui)
    counties = Committee.objects.filter(parent__in=cities)
    assert cities.count() == totals.cities
    assert counties.count() == totals.counties
    assert all(c.brand_name for c in counties)
    found = province_totals(anhui)
    # Every total is reached; 含山 alone may take a tiny province past one.
    for name in ("workstations", "members", "activities", "messages", "outcomes"):
        assert found[name] >= getattr(totals, name), name
    assert 2 <= found["participations"] / found["activities"] <= 4
    # Every county generated has workstations, members and records.
    for county in counties.exclude(slug__in=["hanshan", "tongguan"]):
        assert Workstation.objects.filter(committee=county).count() >= 5
        assert Activity.objects.filter(workstation__committee=county).exists()
    assert "The province now holds" in province


def test_hanshan_grows_under_its_own_address(province):
    hanshan = Committee.objects.get(slug=plan.HANSHAN)
    assert hanshan.parent.slug == "maanshan" and hanshan.parent.parent.slug == "anhui"
    times = plan.hanshan_times(SCALE)
    assert Workstation.objects.filter(committee=hanshan).count() == round(32 * times)
    assert Member.objects.filter(committee=hanshan).count() == round(173 * times)
    # Its demo workstations got the two years before the demo's.
    first = plan.window(timezone.localdate())[0]
    assert Activity.objects.filter(
        workstation__committee=hanshan, date__year=first.year, workstation__slug="taochang"
    ).exists()


def test_the_accounts_are_there_with_the_demo_password(province):
    anhui_office = get_user_model().objects.get(username=plan.PROVINCE_OFFICE)
    role = StaffRole.objects.get(user=anhui_office)
    assert role.committee == _anhui() and role.can_export
    assert role.role == StaffRole.Role.ADMINISTRATOR
    assert anhui_office.check_password(DEMO_PASSWORD)
    assert get_user_model().objects.filter(username="hanshan_office").exists()


def test_the_rows_keep_the_rules(province):
    connection.check_constraints()  # foreign keys (SQLite checks them only at commit)
    ids = subtree_ids(_anhui())
    today = timezone.localdate()
    activities = Activity.objects.filter(workstation__committee_id__in=ids)
    # Participants and authors sit in the activity's workstation.
    through = Activity.participants.through.objects.filter(activity__in=activities)
    seated = Membership.objects.filter(
        member_id=OuterRef("member_id"), workstation_id=OuterRef("activity__workstation_id")
    )
    assert through.exists() and not through.filter(~Exists(seated)).exists()
    author_seated = Membership.objects.filter(
        member_id=OuterRef("author_id"), workstation_id=OuterRef("workstation_id")
    )
    assert not activities.filter(~Exists(author_seated)).exists()
    assert not activities.filter(status="approved", approved_at__isnull=True).exists()
    assert not activities.filter(date__gt=today).exists()
    assert set(activities.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "returned",
        "approved",
    }
    assert not ActivityReview.objects.filter(
        activity__in=activities, at__gt=timezone.now()
    ).exists()
    # Members sit in workstations of their own committee, each in one at least.
    memberships = Membership.objects.filter(workstation__committee_id__in=ids)
    assert not memberships.exclude(member__committee=F("workstation__committee")).exists()
    assert not Member.objects.filter(committee_id__in=ids, memberships__isnull=True).exists()
    # One open place per member and workstation; a convener for every workstation.
    assert not (
        memberships.filter(until__isnull=True)
        .values("member", "workstation")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .exists()
    )
    assert not (
        Workstation.objects.filter(committee_id__in=ids)
        .exclude(memberships__role=Membership.Role.CONVENER)
        .exists()
    )
    # Consultations hold meetings; steps are never in the future.
    steps = ConsultationStep.objects.filter(consultation__workstation__committee_id__in=ids)
    assert steps.filter(step=Consultation.Step.MEETING).exists()
    assert not steps.filter(date__gt=today).exists()
    # Messages in every state; only closed ones are rated.
    messages = PublicMessage.objects.filter(workstation__committee_id__in=ids)
    assert set(messages.values_list("status", flat=True)) == set(PublicMessage.Status.values)
    assert messages.filter(rating__isnull=False).exists()
    assert not messages.filter(rating__isnull=False).exclude(status="closed").exists()
    # Outcomes of every kind; submitted ones are dated; their trail follows them.
    outcomes = Outcome.objects.filter(committee_id__in=ids)
    assert set(outcomes.values_list("kind", flat=True)) == set(Outcome.Kind.values)
    assert not outcomes.filter(status="submitted", submitted_on__isnull=True).exists()
    assert (
        not outcomes.exclude(workstation__isnull=True)
        .exclude(workstation__committee=F("committee"))
        .exists()
    )
    events = OutcomeEvent.objects.filter(outcome__in=outcomes)
    assert set(events.values_list("kind", flat=True)) == set(OutcomeEvent.Kind.values)
    assert not events.filter(date__lt=F("outcome__submitted_on")).exists()
    assert not events.filter(date__gt=today).exists()
    assert Endorsement.objects.filter(outcome__in=outcomes).exists()


@pytest.mark.parametrize("model", [Workstation, Activity, Outcome, Member])
def test_every_searchable_row_keeps_its_pairs_of_characters(province, model):
    """Its pairs and its committees' tokens, as a save would write them."""
    rows = list(model.objects.for_committee(_anhui()))
    written = [row.search_grams for row in rows]
    model.refresh_search_grams_of(rows)
    wrong = [
        (was, row.search_grams)
        for was, row in zip(written, rows, strict=True)
        if set(was.split()) != set(row.search_grams.split())
    ]
    assert not wrong[:3]


@pytest.mark.parametrize("q", ["养老", "教育", "老年人"])
def test_a_search_finds_some_rows_but_not_all(province, q):
    activities = Activity.objects.for_committee(_anhui())
    found = activities.filter(matching(Activity, q)).count()
    assert 0 < found < activities.count()


def test_the_figures_summary_matches_the_records(province):
    out = StringIO()
    call_command("check_figures", "--committee", plan.PROVINCE, stdout=out)  # exits 1 if not
    assert CountyTally.objects.filter(committee__slug="hanshan").exists()


@pytest.mark.parametrize(
    "path",
    ["/anhui/", "/maanshan/", "/hanshan/", "/anhui/search/?q=养老", "/hanshan/search/?q=老年人"],
)
def test_the_public_pages_answer(province, path):
    assert Client().get(path).status_code == 200


def test_the_province_office_sees_its_figures(province):
    client = Client()
    client.force_login(get_user_model().objects.get(username=plan.PROVINCE_OFFICE))
    assert client.get("/office/anhui/figures/").status_code == 200


def test_a_second_run_is_refused_and_changes_nothing(province):
    before = Workstation.objects.count()
    with pytest.raises(CommandError, match="already holds"):
        call_command("generate_scale_data", "--scale", str(SCALE), stdout=StringIO())
    assert Workstation.objects.count() == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a refusal of SQLite")
def test_the_whole_province_needs_postgresql():
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("generate_scale_data", stdout=StringIO())
