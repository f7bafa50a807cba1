"""The back office of the rhythm, points and assessment: scoped to the tenant, a requirement's
rule changed after a closed period starts a new version, adjustments need a reason and are a
record once made, reminders are for reading."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from consultations.models import ActivityType
from outcomes import rhythm
from outcomes.models import (
    AssessmentAdjustment,
    AssessmentCriterion,
    PointRule,
    ReminderLog,
    Requirement,
)
from tests.admin.helpers import changeform_data
from tests.factories import ActivityTypeFactory, CommitteeFactory
from workstations.models import Committee

from .conftest import LAST_YEAR, D

pytestmark = pytest.mark.django_db


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:outcomes_{model}_{view}", args=args)


def monthly(ns) -> Requirement:
    return Requirement.objects.get(committee=ns.committee, name="一月一活动")


def reminder(ns) -> ReminderLog:
    return ReminderLog.objects.create(
        requirement=monthly(ns),
        workstation=ns.workstation,
        period_start=D(3, 1),
        recipients=f"{ns.convener.name}",
    )


def own_and_other(office, model):
    if model == "requirement":
        return monthly(office.hanshan), monthly(office.huimin)
    if model == "pointrule":
        return (
            PointRule.objects.filter(committee=office.hanshan.committee).first(),
            PointRule.objects.filter(committee=office.huimin.committee).first(),
        )
    if model == "assessmentcriterion":
        return (
            AssessmentCriterion.objects.filter(committee=office.hanshan.committee).first(),
            AssessmentCriterion.objects.filter(committee=office.huimin.committee).first(),
        )
    if model == "assessmentadjustment":
        return office.hanshan.adjustment, office.huimin.adjustment
    return reminder(office.hanshan), reminder(office.huimin)


MODELS = ["requirement", "pointrule", "assessmentcriterion", "assessmentadjustment", "reminderlog"]


@pytest.mark.parametrize("model", MODELS)
def test_changelist_lists_own_committees_rows_only(model, office, login):
    own, other = own_and_other(office, model)
    response = login(office.hanshan.staff).get(url(model, "changelist"))
    assert response.status_code == 200
    listed = set(response.context["cl"].queryset)
    assert own in listed and other not in listed


@pytest.mark.parametrize("model", MODELS)
def test_another_countys_row_is_404(model, office, login):
    _own, other = own_and_other(office, model)
    client = login(office.hanshan.staff)
    assert client.get(url(model, "change", other.pk)).status_code == 404
    assert client.get(url(model, "history", other.pk)).status_code == 404


@pytest.mark.parametrize("model", MODELS)
def test_own_row_opens_and_its_history_too(model, office, login):
    own, _other = own_and_other(office, model)
    client = login(office.hanshan.staff)
    assert client.get(url(model, "change", own.pk)).status_code == 200
    assert client.get(url(model, "history", own.pk)).status_code == 200


def test_city_staff_see_the_county_below(office, city_staff, login):
    listed = set(login(city_staff).get(url("requirement", "changelist")).context["cl"].queryset)
    assert monthly(office.hanshan) in listed and monthly(office.huimin) not in listed


# --- Requirements -------------------------------------------------------------------------------


def _choices(response, field):
    return set(response.context["adminform"].form.fields[field].queryset)


def test_activity_types_offered_are_the_requirements_own_committees(office, city_staff, login):
    county = office.hanshan.committee
    sibling = CommitteeFactory(
        slug="hexian", name="和县政协", level=Committee.Level.COUNTY, parent=county.parent
    )
    sibling_type = ActivityTypeFactory(committee=sibling, code="hexian_visit", name="走访")
    client = login(city_staff)
    change = client.get(url("requirement", "change", monthly(office.hanshan).pk))
    offered = _choices(change, "activity_types")
    assert offered == set(ActivityType.objects.filter(committee=county))
    add = client.get(url("requirement", "add"))
    offered = _choices(add, "activity_types")
    assert sibling_type in offered  # the city may set a requirement for either county …
    assert not offered & set(ActivityType.objects.filter(committee=office.huimin.committee))


def test_a_requirement_with_another_committees_types_is_refused(office, city_staff, login):
    sibling = CommitteeFactory(
        slug="hexian",
        name="和县政协",
        level=Committee.Level.COUNTY,
        parent=office.hanshan.committee.parent,
    )
    sibling_type = ActivityTypeFactory(committee=sibling, code="hexian_visit", name="走访")
    response = login(city_staff).post(
        url("requirement", "add"),
        {
            "committee": office.hanshan.committee.pk,
            "name": "一月两接待",
            "order": 5,
            "period": "month",
            "counts": "activity",
            "minimum": 2,
            "activity_types": [sibling_type.pk],
            "effective_from": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "activity_types" in response.context["adminform"].form.errors
    assert not Requirement.objects.filter(name="一月两接待").exists()


def test_kinds_are_picked_from_checkboxes_not_typed_as_json(office, login):
    response = login(office.hanshan.staff).get(url("requirement", "add"))
    html = response.content.decode()
    assert 'type="checkbox" name="outcome_kinds" value="consultation_report"' in html
    assert 'type="checkbox" name="workstation_kinds" value="consultation_room"' in html


def test_adding_a_requirement_saves_the_picked_kinds(office, login):
    client = login(office.hanshan.staff)
    response = client.post(
        url("requirement", "add"),
        {
            "committee": office.hanshan.committee.pk,
            "name": "一年一案例",
            "order": 4,
            "period": "year",
            "counts": "outcome",
            "minimum": 1,
            "outcome_kinds": ["typical_case"],
            "workstation_kinds": ["workstation", "sector_room"],
            "effective_from": f"{timezone.localdate().year}-01-01",
        },
    )
    assert response.status_code == 302
    requirement = Requirement.objects.get(name="一年一案例")
    assert requirement.outcome_kinds == ["typical_case"]
    assert requirement.workstation_kinds == ["workstation", "sector_room"]


def test_changing_the_rule_after_a_closed_period_starts_a_new_version(office, login):
    client = login(office.hanshan.staff)
    old = monthly(office.hanshan)
    data = changeform_data(client.get(url("requirement", "change", old.pk)))
    data["minimum"] = "2"
    response = client.post(url("requirement", "change", old.pk), data)
    assert response.status_code == 302

    today = timezone.localdate()
    this_month = today.replace(day=1)
    old.refresh_from_db()
    new = Requirement.objects.get(
        committee=office.hanshan.committee, name="一月一活动", effective_until__isnull=True
    )
    assert new.pk != old.pk
    assert (old.minimum, old.effective_until) == (1, this_month - datetime.timedelta(days=1))
    assert (new.minimum, new.effective_from) == (2, this_month)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(this_month.strftime("%Y") in m for m in messages)
    assert len(messages) >= 2  # the new version's note and Django's "changed"

    # The closed periods keep their result: March of last year is still met with one activity.
    board = rhythm.rhythm_board(office.hanshan.committee, LAST_YEAR)
    march = rhythm.period_containing("month", D(3, 1))
    cell = board.cell(old, office.hanshan.workstation, march)
    assert (cell.state, cell.count) == (rhythm.MET, 1)
    # This month is judged by the new version.
    current = rhythm.rhythm_board(office.hanshan.committee, today.year)
    running = rhythm.period_containing("month", today)
    assert current.cell(new, office.hanshan.workstation, running) is not None
    assert current.cell(old, office.hanshan.workstation, running) is None


def test_save_and_continue_opens_the_version_in_force(office, login):
    client = login(office.hanshan.staff)
    old = monthly(office.hanshan)
    data = changeform_data(client.get(url("requirement", "change", old.pk)))
    data.update(minimum="3", _continue="1")
    response = client.post(url("requirement", "change", old.pk), data)
    new = Requirement.objects.get(minimum=3)
    assert response["Location"] == url("requirement", "change", new.pk)


def test_renaming_a_requirement_changes_it_in_place(office, login):
    client = login(office.hanshan.staff)
    old = monthly(office.hanshan)
    data = changeform_data(client.get(url("requirement", "change", old.pk)))
    data["name"] = "每月一活动"
    client.post(url("requirement", "change", old.pk), data)
    old.refresh_from_db()
    assert old.name == "每月一活动" and old.effective_until is None
    assert Requirement.objects.filter(committee=office.hanshan.committee).count() == 3


def test_changing_the_activity_types_starts_a_new_version_keeping_the_old_types(office, login):
    client = login(office.hanshan.staff)
    old = monthly(office.hanshan)
    lecture = ActivityType.objects.get(committee=office.hanshan.committee, code="micro_lecture")
    data = changeform_data(client.get(url("requirement", "change", old.pk)))
    data["activity_types"] = [str(lecture.pk)]
    client.post(url("requirement", "change", old.pk), data)
    old.refresh_from_db()
    new = Requirement.objects.get(
        name="一月一活动", committee=office.hanshan.committee, effective_until__isnull=True
    )
    assert list(old.activity_types.all()) == []
    assert list(new.activity_types.all()) == [lecture]


def test_the_end_date_cannot_go_back_over_a_closed_period(office, login):
    client = login(office.hanshan.staff)
    old = monthly(office.hanshan)
    data = changeform_data(client.get(url("requirement", "change", old.pk)))
    data["effective_until"] = D(6, 30).isoformat()
    response = client.post(url("requirement", "change", old.pk), data)
    assert response.status_code == 200
    assert "effective_until" in response.context["adminform"].form.errors
    old.refresh_from_db()
    assert old.effective_until is None


def test_a_reader_cannot_change_a_requirement(office, reader_staff, login):
    client = login(reader_staff)
    old = monthly(office.hanshan)
    data = changeform_data(client.get(url("requirement", "change", old.pk)))
    data["minimum"] = "5"
    assert client.post(url("requirement", "change", old.pk), data).status_code == 403
    old.refresh_from_db()
    assert old.minimum == 1


# --- Point rules and criteria ---------------------------------------------------------------


def test_a_point_rules_activity_type_is_of_its_committee(office, city_staff, login):
    rule = PointRule.objects.filter(committee=office.hanshan.committee).first()
    response = login(city_staff).get(url("pointrule", "change", rule.pk))
    assert _choices(response, "activity_type") == set(
        ActivityType.objects.filter(committee=office.hanshan.committee)
    )


def test_a_point_rule_for_a_type_must_be_for_activities(office, login):
    lecture = ActivityType.objects.get(committee=office.hanshan.committee, code="micro_lecture")
    response = login(office.hanshan.staff).post(
        url("pointrule", "add"),
        {
            "committee": office.hanshan.committee.pk,
            "basis": "outcome_adopted",
            "activity_type": lecture.pk,
            "points": "4",
        },
    )
    assert response.status_code == 200
    assert "activity_type" in response.context["adminform"].form.errors


def test_criteria_list_shows_the_sum_of_weights_and_warns_when_not_100(office, login):
    client = login(office.hanshan.staff)
    response = client.get(url("assessmentcriterion", "changelist"))
    assert {c.weight_sum for c in response.context["cl"].result_list} == {100}
    assert not [str(m) for m in get_messages(response.wsgi_request)]
    criterion = AssessmentCriterion.objects.filter(committee=office.hanshan.committee).first()
    criterion.weight += 5
    criterion.save()
    response = client.get(url("assessmentcriterion", "changelist"))
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(warnings) == 1 and "105" in warnings[0]
    assert "惠民" not in warnings[0]


# --- Adjustments ----------------------------------------------------------------------------


def test_an_adjustment_without_a_reason_is_refused(office, login):
    before = AssessmentAdjustment.objects.count()
    response = login(office.hanshan.staff).post(
        url("assessmentadjustment", "add"),
        {
            "workstation": office.hanshan.workstation.pk,
            "year": LAST_YEAR,
            "points": "3",
            "reason": "   ",
        },
    )
    assert response.status_code == 200
    assert "reason" in response.context["adminform"].form.errors
    assert AssessmentAdjustment.objects.count() == before


def test_an_adjustment_records_who_made_it(office, login):
    response = login(office.hanshan.staff).post(
        url("assessmentadjustment", "add"),
        {
            "workstation": office.hanshan.workstation.pk,
            "year": LAST_YEAR,
            "points": "-1.5",
            "reason": "台账资料不全",
        },
    )
    assert response.status_code == 302
    adjustment = AssessmentAdjustment.objects.get(reason="台账资料不全")
    assert adjustment.made_by == office.hanshan.staff


def test_an_adjustment_of_another_countys_workstation_is_refused(office, login):
    response = login(office.hanshan.staff).post(
        url("assessmentadjustment", "add"),
        {
            "workstation": office.huimin.workstation.pk,
            "year": LAST_YEAR,
            "points": "5",
            "reason": "越权加分",
        },
    )
    assert response.status_code == 200
    assert "workstation" in response.context["adminform"].form.errors
    assert not AssessmentAdjustment.objects.filter(reason="越权加分").exists()


def test_an_adjustment_is_read_only_once_made(office, login):
    client = login(office.hanshan.staff)
    adjustment = office.hanshan.adjustment
    page = client.get(url("assessmentadjustment", "change", adjustment.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = client.post(
        url("assessmentadjustment", "change", adjustment.pk),
        {
            "workstation": adjustment.workstation.pk,
            "year": LAST_YEAR,
            "points": "9",
            "reason": "改",
        },
    )
    assert response.status_code == 403
    adjustment.refresh_from_db()
    assert adjustment.points == 2
    delete = client.post(url("assessmentadjustment", "delete", adjustment.pk), {"post": "yes"})
    assert delete.status_code == 403


def test_a_reader_cannot_add_an_adjustment(office, reader_staff, login):
    assert login(reader_staff).get(url("assessmentadjustment", "add")).status_code == 403


# --- Reminders ------------------------------------------------------------------------------


def test_reminders_are_for_reading_only(office, login):
    client = login(office.hanshan.staff)
    log = reminder(office.hanshan)
    assert client.get(url("reminderlog", "add")).status_code == 403
    page = client.get(url("reminderlog", "change", log.pk))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.post(url("reminderlog", "change", log.pk), {}).status_code == 403
    assert client.post(url("reminderlog", "delete", log.pk), {"post": "yes"}).status_code == 403


def test_the_admin_index_links_to_the_dashboards(office, login, superuser):
    html = login(office.hanshan.staff).get(reverse("admin:index")).content.decode()
    for name in ("board", "figures", "points", "assessment", "ledgers"):
        assert reverse(f"office:{name}", kwargs={"committee": "hanshan"}) in html
    superuser_html = login(superuser).get(reverse("admin:index")).content.decode()
    assert reverse("office:index") in superuser_html
